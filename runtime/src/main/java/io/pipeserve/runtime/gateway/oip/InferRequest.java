package io.pipeserve.runtime.gateway.oip;

import io.pipeserve.runtime.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * An inference request as both transports decode it.
 *
 * @param version "" when the client named none
 * @param id the client's request id, echoed in the response; "" for none
 * @param parameters the request parameters: Boolean, Long, Double, String or (uint64) BigInteger
 * @param inputs the input tensors by name, in request order
 * @param outputs the outputs asked for; empty for every output
 */
public record InferRequest(
    String model,
    String version,
    String id,
    Map<String, Object> parameters,
    Map<String, Tensor> inputs,
    List<RequestedOutput> outputs) {}
