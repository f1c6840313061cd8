package io.pipeserve.runtime.op;

import io.pipeserve.api.DagSpec;
import io.pipeserve.api.OpKinds;
import io.pipeserve.api.OpSpec;
import io.pipeserve.api.StepSpec;
import io.pipeserve.runtime.predictor.OnnxPredictor;
import io.pipeserve.runtime.predictor.Predictor;
import io.pipeserve.runtime.predictor.remote.RemotePredictor;
import io.pipeserve.runtime.step.Step;
import io.pipeserve.runtime.step.StepContext;
import io.pipeserve.runtime.step.Steps;
import io.pipeserve.runtime.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One op of the DAG as it runs: preprocess steps, its processor (model or user code) and
 * postprocess steps, with the settings the executor schedules it by.
 */
public final class Op implements AutoCloseable {
  private final OpSpec spec;
  private final List<Step> preprocess;
  private final List<Step> postprocess;
  private final Processor processor;
  private final int retry;

  private Op(OpSpec spec, List<Step> pre, List<Step> post, Processor processor, int retry) {
    this.spec = spec;
    this.preprocess = pre;
    this.postprocess = post;
    this.processor = processor;
    this.retry = retry;
  }

  /**
   * Builds the op: creates its steps, loads its model or user class.
   *
   * @param index the op's position in the spec, for error messages
   * @throws IllegalStateException naming {@code ops[index]} when anything cannot be built
   */
  public static Op create(
      OpSpec spec, int index, DagSpec dag, Path baseDir, ClassLoader pluginLoader) {
    String where = "ops[" + index + "]";
    List<Step> pre = steps(spec.preprocess(), where + ".preprocess", baseDir);
    List<Step> post = steps(spec.postprocess(), where + ".postprocess", baseDir);
    Processor processor;
    try {
      processor =
          switch (spec.kind()) {
            case OpKinds.ONNX -> {
              Predictor p = OnnxPredictor.load(baseDir.resolve(spec.model()), spec.device());
              yield new ModelProcessor(p, spec.feed(), spec.fetch(), spec.batch().size());
            }
            case OpKinds.REMOTE -> {
              RemotePredictor p = RemotePredictor.connect(spec.remote(), spec.timeoutMs(), baseDir);
              yield new RemoteProcessor(p, spec.feed(), spec.fetch(), spec.batch().size());
            }
            case OpKinds.JAVA ->
                new JavaProcessor(
                    JavaOps.instantiate(spec.className(), pluginLoader), spec.params());
            case OpKinds.NONE -> new NoProcessor();
            default -> throw new IllegalArgumentException("unknown kind '" + spec.kind() + "'");
          };
    } catch (Exception e) {
      throw new IllegalStateException(where + " (" + spec.name() + "): " + e.getMessage(), e);
    }
    int retry = spec.retry() == null ? dag.retry() : spec.retry();
    return new Op(spec, pre, post, processor, retry);
  }

  private static List<Step> steps(List<StepSpec> specs, String where, Path baseDir) {
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      steps.add(Steps.create(specs.get(i), new StepContext(baseDir, where + "[" + i + "]")));
    }
    return steps;
  }

  public String name() {
    return spec.name();
  }

  public OpSpec spec() {
    return spec;
  }

  /** Extra attempts of the process call after a timeout or failure. */
  public int retry() {
    return retry;
  }

  /** Runs the preprocess steps, then the processor's per-sample preparation. */
  public void preprocess(Sample sample) throws Exception {
    for (Step step : preprocess) {
      step.apply(sample);
    }
    if (!sample.isSkipProcess()) {
      processor.prepare(sample);
    }
  }

  /** The items a prepared sample brings to a batch; 0 when it skips the process call. */
  public int items(Sample sample) {
    return sample.isSkipProcess() ? 0 : processor.items(sample);
  }

  /** Runs one batch of prepared samples through the processor. */
  public void process(List<Sample> batch, int worker, Predictor.Call call) throws Exception {
    List<Sample> run = batch.stream().filter(s -> !s.isSkipProcess()).toList();
    if (!run.isEmpty()) {
      processor.process(run, worker, call);
    }
  }

  /** Runs the processor's per-sample finish, the postprocess steps, then keeps only outputs. */
  public void postprocess(Sample sample) throws Exception {
    processor.finish(sample);
    for (Step step : postprocess) {
      step.apply(sample);
    }
    if (!spec.outputs().isEmpty()) {
      Set<String> keep = new HashSet<>(spec.outputs());
      sample.fields().keySet().removeIf(k -> !keep.contains(k));
    }
  }

  /** The model inputs of a prepared sample (empty for ops without a model). */
  public Map<String, Tensor> modelInputs(Sample sample) {
    return sample.isSkipProcess() ? Map.of() : processor.modelInputs(sample);
  }

  /** The model outputs of a processed sample (empty for ops without a model). */
  public Map<String, Tensor> modelOutputs(Sample sample) {
    return sample.isSkipProcess() ? Map.of() : processor.modelOutputs(sample);
  }

  /**
   * The fields its model reads and writes, with the model's declared types and shapes; empty for
   * ops without a model ({@code java}, {@code none}).
   */
  public Optional<ModelSignature> model() {
    return processor instanceof ModelProcessor m ? Optional.of(m.signature()) : Optional.empty();
  }

  /** Model calls made so far (0 for ops without a model). */
  public long batches() {
    if (processor instanceof RemoteProcessor r) {
      return r.batches();
    }
    return processor instanceof ModelProcessor m ? m.batches() : 0;
  }

  /** Items sent to the model so far (0 for ops without a model). */
  public long batchedItems() {
    if (processor instanceof RemoteProcessor r) {
      return r.batchedItems();
    }
    return processor instanceof ModelProcessor m ? m.batchedItems() : 0;
  }

  @Override
  public void close() {
    processor.close();
  }

  /** {@code kind: none}: the op only runs its steps. */
  private static final class NoProcessor implements Processor {
    @Override
    public void prepare(Sample sample) {}

    @Override
    public int items(Sample sample) {
      return 1;
    }

    @Override
    public void process(List<Sample> batch, int worker, Predictor.Call call) {}

    @Override
    public void finish(Sample sample) {}

    @Override
    public void close() {}
  }
}
