package io.pipeserve.runtime.op;

import io.pipeserve.runtime.tensor.TensorSpec;
import java.util.List;

/**
 * The sample fields an op's model reads and writes (its {@code feed} and {@code fetch} fields),
 * with the types and shapes the model declares for them. Lists are empty when the model does not
 * declare its tensors.
 */
public record ModelSignature(List<TensorSpec> inputs, List<TensorSpec> outputs) {
  public ModelSignature {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }
}
