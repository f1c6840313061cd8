package io.pipeserve.runtime.gateway.oip;

import io.pipeserve.runtime.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * An inference answer as both transports encode it.
 *
 * @param parameters the response parameters (string values)
 * @param outputs the output tensors, in the order they are sent
 */
public record InferResponse(
    String model, String version, String id, Map<String, String> parameters, List<Output> outputs) {

  /** One output. */
  public record Output(String name, Tensor tensor) {
    public Datatype datatype() {
      return Datatype.of(tensor.dtype());
    }
  }
}
