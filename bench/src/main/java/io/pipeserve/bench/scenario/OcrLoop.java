package io.pipeserve.bench.scenario;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.pipeserve.api.OpSpec;
import io.pipeserve.api.PipelineSpec;
import io.pipeserve.api.StepSpec;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.step.Step;
import io.pipeserve.runtime.step.StepContext;
import io.pipeserve.runtime.step.Steps;
import io.pipeserve.runtime.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A chain pipeline (each op reading the one before) run as a plain Java call: the same steps,
 * created from the same spec by {@link Steps#create}, around the same models in plain ONNX Runtime
 * sessions. No channels, no workers, no batching, no network: what the pipeline would cost if it
 * were a loop. Thread-safe: steps and sessions are shared by every calling thread.
 */
public final class OcrLoop implements AutoCloseable {
  private final List<Stage> stages = new ArrayList<>();

  private record Stage(
      OpSpec spec,
      List<Step> pre,
      OrtSession session,
      Map<String, String> fieldOfInput,
      Map<String, String> fieldOfOutput,
      List<Step> post) {}

  public OcrLoop(PipelineSpec spec, Path baseDir) {
    String previous = null;
    try {
      for (int i = 0; i < spec.ops().size(); i++) {
        OpSpec op = spec.ops().get(i);
        boolean chained =
            previous == null ? op.inputs().isEmpty() : op.inputs().equals(List.of(previous));
        if (!chained || !op.kind().equals("onnx")) {
          throw new IllegalArgumentException(
              "ops["
                  + i
                  + "] ("
                  + op.name()
                  + "): the loop baseline runs a chain of onnx ops, each reading the one before");
        }
        OrtSession session = OnnxSessions.open(baseDir.resolve(op.model()), op.device().threads());
        stages.add(
            new Stage(
                op,
                steps(op.preprocess(), baseDir, "ops[" + i + "].preprocess"),
                session,
                names(List.copyOf(session.getInputNames()), op.feed()),
                names(List.copyOf(session.getOutputNames()), op.fetch()),
                steps(op.postprocess(), baseDir, "ops[" + i + "].postprocess")));
        previous = op.name();
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Threads the pipeline runs its ops on: the loop gets as many. */
  public static int workers(PipelineSpec spec) {
    return spec.ops().stream().mapToInt(OpSpec::concurrency).sum();
  }

  /** Runs the chain on the request's fields; returns the last op's output fields. */
  public Map<String, Object> run(Map<String, Object> fields) throws OrtException {
    Sample sample = new Sample(0, 0, fields);
    for (Stage stage : stages) {
      stage.pre.forEach(s -> s.apply(sample));
      infer(stage, sample);
      stage.post.forEach(s -> s.apply(sample));
      if (!stage.spec.outputs().isEmpty()) {
        Set<String> keep = new HashSet<>(stage.spec.outputs());
        sample.fields().keySet().removeIf(k -> !keep.contains(k));
      }
    }
    return sample.fields();
  }

  // As the pipeline does: a sample with no items skips the model and leaves its outputs absent;
  // the fed fields are dropped once the model ran.
  private static void infer(Stage stage, Sample sample) throws OrtException {
    Map<String, OnnxTensor> feed = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, String> e : stage.fieldOfInput.entrySet()) {
        Tensor x = sample.tensor(e.getValue());
        if (x.dim(0) == 0) {
          return;
        }
        feed.put(e.getKey(), OnnxSessions.input(x));
      }
      try (OrtSession.Result result = stage.session.run(feed)) {
        stage.fieldOfInput.values().forEach(sample::remove);
        for (Map.Entry<String, String> e : stage.fieldOfOutput.entrySet()) {
          OnnxTensor out = (OnnxTensor) result.get(e.getKey()).orElseThrow();
          sample.put(e.getValue(), OnnxSessions.output(out));
        }
      }
    } finally {
      feed.values().forEach(OnnxTensor::close);
    }
  }

  private static Map<String, String> names(List<String> model, List<String> fields) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < model.size(); i++) {
      out.put(model.get(i), fields.isEmpty() ? model.get(i) : fields.get(i));
    }
    return out;
  }

  private static List<Step> steps(List<StepSpec> specs, Path baseDir, String where) {
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      steps.add(Steps.create(specs.get(i), new StepContext(baseDir, where + "[" + i + "]")));
    }
    return steps;
  }

  @Override
  public void close() {
    for (Stage s : stages) {
      try {
        s.session.close();
      } catch (OrtException ignored) {
        // Closing after the run: nothing to do about a failure.
      }
    }
  }
}
