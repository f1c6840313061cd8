package io.pipeserve.runtime.gateway.oip;

import io.pipeserve.api.OpKinds;
import io.pipeserve.api.OpSpec;
import io.pipeserve.api.PipelineSpec;
import io.pipeserve.runtime.op.ModelSignature;
import io.pipeserve.runtime.op.Op;
import io.pipeserve.runtime.tensor.TensorSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The models this server serves over the Open Inference Protocol: the pipeline under {@code
 * server.name}, and each op that has a model under the op's name (as Triton serves the members of
 * an ensemble), which runs that op alone. Each has one version, "1".
 *
 * <p>Metadata lists what the models themselves declare: a pipeline's inputs are the model inputs of
 * the ops that read the request with no preprocess step in between, its outputs those of the
 * answering op with no postprocess step after its model. What steps or user code read and write
 * cannot be known before they run, so such tensors are not listed rather than guessed.
 */
public final class Models {
  /** The one version each model has. */
  public static final String VERSION = "1";

  private static final String PIPELINE_PLATFORM = "pipeserve_pipeline";
  private static final String OP_PLATFORM = "pipeserve_op";

  private final String pipeline;
  private final Map<String, ServedModel> byName;

  private Models(String pipeline, Map<String, ServedModel> byName) {
    this.pipeline = pipeline;
    this.byName = byName;
  }

  /**
   * @param ops the running op of each name (the executor's)
   */
  public static Models of(PipelineSpec spec, Function<String, Op> ops) {
    Map<String, ServedModel> byName = new LinkedHashMap<>();
    String name = spec.server().name();
    List<TensorMetadata> inputs = new ArrayList<>();
    List<TensorMetadata> outputs = new ArrayList<>();
    for (OpSpec opSpec : spec.ops()) {
      Op op = ops.apply(opSpec.name());
      boolean readsRequest = opSpec.inputs().isEmpty();
      boolean answers = spec.ops().stream().noneMatch(o -> o.inputs().contains(opSpec.name()));
      if (readsRequest) {
        addNew(inputs, inputsOf(op));
      }
      if (answers) {
        outputs.addAll(outputsOf(op));
      }
    }
    byName.put(name, new ServedModel(name, null, PIPELINE_PLATFORM, inputs, outputs));
    for (OpSpec opSpec : spec.ops()) {
      Op op = ops.apply(opSpec.name());
      // The pipeline's name wins over an op of the same name; an op running in processes of its
      // own (endpoints) is served there, not here.
      if (op != null && op.model().isPresent() && !byName.containsKey(opSpec.name())) {
        byName.put(
            opSpec.name(),
            new ServedModel(
                opSpec.name(), opSpec.name(), platform(opSpec), inputsOf(op), outputsOf(op)));
      }
    }
    return new Models(name, byName);
  }

  /** The pipeline's model name ({@code server.name}). */
  public String pipeline() {
    return pipeline;
  }

  /** Every model served, the pipeline first. */
  public List<ServedModel> all() {
    return List.copyOf(byName.values());
  }

  /**
   * The model of that name and version.
   *
   * @param version "" for the latest (the only one)
   * @throws OipError NOT_FOUND naming the model or version that does not exist
   */
  public ServedModel resolve(String name, String version) {
    ServedModel model = byName.get(name);
    if (model == null) {
      throw OipError.notFound(
          "unknown model '" + name + "'; this server serves " + String.join(", ", names()));
    }
    if (!version.isEmpty() && !version.equals(VERSION)) {
      throw OipError.notFound(
          "model '" + name + "' has no version '" + version + "'; its only version is " + VERSION);
    }
    return model;
  }

  private List<String> names() {
    return byName.keySet().stream().map(n -> "'" + n + "'").toList();
  }

  private static String platform(OpSpec op) {
    boolean bare = op.preprocess().isEmpty() && op.postprocess().isEmpty();
    return bare && op.kind().equals(OpKinds.ONNX) ? "onnxruntime_onnx" : OP_PLATFORM;
  }

  private static List<TensorMetadata> inputsOf(Op op) {
    if (op == null || !op.spec().preprocess().isEmpty()) { // null: the op runs elsewhere
      return List.of();
    }
    return op.model().map(ModelSignature::inputs).map(Models::metadata).orElse(List.of());
  }

  private static List<TensorMetadata> outputsOf(Op op) {
    if (op == null) { // the op runs elsewhere: its signature is not known here
      return List.of();
    }
    Optional<ModelSignature> model = op.model();
    if (!op.spec().postprocess().isEmpty() || model.isEmpty()) {
      return List.of();
    }
    List<String> kept = op.spec().outputs();
    return metadata(
        model.get().outputs().stream()
            .filter(o -> kept.isEmpty() || kept.contains(o.name()))
            .toList());
  }

  private static List<TensorMetadata> metadata(List<TensorSpec> specs) {
    List<TensorMetadata> out = new ArrayList<>();
    for (TensorSpec spec : specs) {
      // An element type pipeserve has no equivalent for cannot be sent by any client.
      if (spec.dtype() != null) {
        out.add(new TensorMetadata(spec.name(), Datatype.of(spec.dtype()), spec.shape()));
      }
    }
    return out;
  }

  private static void addNew(List<TensorMetadata> into, List<TensorMetadata> more) {
    for (TensorMetadata m : more) {
      if (into.stream().noneMatch(t -> t.name().equals(m.name()))) {
        into.add(m);
      }
    }
  }
}
