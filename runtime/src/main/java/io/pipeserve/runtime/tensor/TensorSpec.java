package io.pipeserve.runtime.tensor;

import java.util.List;

/**
 * What a model declares about one of its tensors: name, element type and shape, -1 standing for a
 * dimension of any size.
 *
 * @param dtype null when the element type has no pipeserve equivalent
 */
public record TensorSpec(String name, DType dtype, List<Long> shape) {
  public TensorSpec {
    shape = List.copyOf(shape);
  }

  /** The same tensor under another name (a model input seen as the field that feeds it). */
  public TensorSpec named(String newName) {
    return new TensorSpec(newName, dtype, shape);
  }
}
