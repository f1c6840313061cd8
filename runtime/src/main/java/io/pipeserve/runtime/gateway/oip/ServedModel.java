package io.pipeserve.runtime.gateway.oip;

import java.util.List;

/**
 * A model this server serves: the pipeline, or one op that has a model.
 *
 * @param op the op the model runs alone; null for the pipeline
 * @param platform "pipeserve_pipeline", or for an op its model's runtime ("onnxruntime_onnx") when
 *     the op is the bare model (no steps), else "pipeserve_op"
 * @param inputs what its metadata lists: the inputs that can be known from its models
 * @param outputs likewise for the outputs
 */
public record ServedModel(
    String name,
    String op,
    String platform,
    List<TensorMetadata> inputs,
    List<TensorMetadata> outputs) {
  public ServedModel {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }
}
