package io.pipeserve.runtime.gateway.oip;

import java.util.List;

/**
 * One input or output of a model as its metadata lists it.
 *
 * @param shape -1 for a dimension of any size (the first is usually the batch)
 */
public record TensorMetadata(String name, Datatype datatype, List<Long> shape) {
  public TensorMetadata {
    shape = List.copyOf(shape);
  }
}
