package io.pipeserve.runtime.gateway.oip;

import io.pipeserve.runtime.gateway.RequestGate;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.tensor.DType;
import io.pipeserve.runtime.tensor.Tensor;
import io.pipeserve.runtime.trace.RequestTracer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs Open Inference Protocol requests through the pipeline, for both transports.
 *
 * <p>The request becomes the fields of the pipeline's request sample: each input tensor a field of
 * its name, each request parameter a string field (the form Paddle's key/value pairs take, which
 * ops already read). The answering op's sample becomes the response: its tensors are outputs, its
 * other fields BYTES outputs holding their text (as Paddle clients get them in {@code value}),
 * except fields named like a request parameter, which come back as response parameters (an op can
 * answer {@code pipeline.profile} so).
 */
public final class Inference {
  /** Request parameters the gateway acts on itself; they do not reach the pipeline. */
  public static final String BINARY_DATA_OUTPUT = "binary_data_output";

  /** Triton's per-request timeout, in microseconds. */
  public static final String TIMEOUT = "timeout";

  private static final Set<String> CONSUMED = Set.of(BINARY_DATA_OUTPUT, TIMEOUT);

  // Triton's sequence batching: accepting these without honouring them would give wrong answers.
  private static final Set<String> UNSUPPORTED =
      Set.of("sequence_id", "sequence_start", "sequence_end");

  private final Models models;
  private final RequestGate gate;

  public Inference(Models models, RequestGate gate) {
    this.models = models;
    this.gate = gate;
  }

  public Models models() {
    return models;
  }

  /** Whether the server takes requests (started and not draining). */
  public boolean isReady() {
    return gate.isReady();
  }

  /**
   * Starts the trace of an arriving request when the trace settings sample it; a numeric request id
   * becomes its log id.
   *
   * @return its trace, or null when it is not traced
   */
  public RequestTracer trace(String traceparent, String tracestate, String id) {
    return gate.trace(traceparent, tracestate, logId(id));
  }

  /**
   * Runs the request on the model it names. Never throws: every failure completes the future
   * exceptionally, with an {@link OipError} or the pipeline's error (see {@link OipError#of}).
   *
   * @param timeoutMs the transport's deadline (a gRPC client's), 0 for none
   * @param trace the request's trace from {@link #trace}; null when not traced
   */
  public CompletableFuture<InferResponse> infer(
      InferRequest request, long timeoutMs, RequestTracer trace) {
    try {
      ServedModel model = models.resolve(request.model(), request.version());
      Map<String, Object> fields = fields(request);
      long timeout = earliest(timeoutMs, timeoutParameter(request));
      return gate.submit(model.op(), logId(request.id()), fields, timeout, trace)
          .thenApply(sample -> response(request, model, sample));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static Map<String, Object> fields(InferRequest request) {
    Map<String, Object> fields = new LinkedHashMap<>(request.inputs());
    request
        .parameters()
        .forEach(
            (name, value) -> {
              if (UNSUPPORTED.contains(name)) {
                throw OipError.invalid(
                    "request parameter '"
                        + name
                        + "': sequence batching is not supported by this server");
              }
              if (CONSUMED.contains(name)) {
                return;
              }
              if (fields.containsKey(name)) {
                throw OipError.invalid(
                    "request parameter '"
                        + name
                        + "' has the name of an input; the pipeline gets both as fields, so"
                        + " their names must differ");
              }
              fields.put(name, value.toString());
            });
    return fields;
  }

  private static long timeoutParameter(InferRequest request) {
    Object value = request.parameters().get(TIMEOUT);
    if (value == null) {
      return 0;
    }
    if (!(value instanceof Long micros) || micros < 0) {
      throw OipError.invalid(
          "request parameter 'timeout' must be a non-negative integer (microseconds), got "
              + value);
    }
    // Rounded up: a deadline of a few microseconds must not become "no deadline".
    return micros == 0 ? 0 : Math.max(1, TimeUnit.MICROSECONDS.toMillis(micros + 999));
  }

  private static long earliest(long a, long b) {
    if (a <= 0) {
      return b;
    }
    return b <= 0 ? a : Math.min(a, b);
  }

  private static InferResponse response(InferRequest request, ServedModel model, Sample sample) {
    Map<String, String> parameters = new LinkedHashMap<>();
    Map<String, Tensor> available = new LinkedHashMap<>();
    for (Map.Entry<String, Object> field : sample.fields().entrySet()) {
      Object value = field.getValue();
      if (value == null) {
        continue;
      }
      if (request.parameters().containsKey(field.getKey()) && !(value instanceof Tensor)) {
        parameters.put(field.getKey(), text(value));
      } else {
        available.put(field.getKey(), asTensor(value));
      }
    }
    List<InferResponse.Output> outputs = new ArrayList<>();
    if (request.outputs().isEmpty()) {
      available.forEach((name, tensor) -> outputs.add(new InferResponse.Output(name, tensor)));
    } else {
      for (RequestedOutput wanted : request.outputs()) {
        Tensor tensor = available.get(wanted.name());
        if (tensor == null) {
          throw OipError.invalid(
              "unknown output '"
                  + wanted.name()
                  + "' requested from model '"
                  + model.name()
                  + "'; it answered "
                  + (available.isEmpty() ? "no outputs" : String.join(", ", available.keySet())));
        }
        outputs.add(new InferResponse.Output(wanted.name(), tensor));
      }
    }
    return new InferResponse(model.name(), Models.VERSION, request.id(), parameters, outputs);
  }

  private static Tensor asTensor(Object value) {
    if (value instanceof Tensor t) {
      return t;
    }
    byte[] utf8 = text(value).getBytes(StandardCharsets.UTF_8);
    return new Tensor(DType.BYTES, new long[] {1}, new byte[][] {utf8});
  }

  // As the Paddle gateways print non-tensor fields.
  private static String text(Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value.getClass().isArray()) {
      String wrapped = Arrays.deepToString(new Object[] {value});
      return wrapped.substring(1, wrapped.length() - 1);
    }
    return value.toString();
  }

  private static long logId(String id) {
    if (id == null || id.isEmpty() || id.length() > 18) {
      return 0;
    }
    for (int i = 0; i < id.length(); i++) {
      if (!Character.isDigit(id.charAt(i))) {
        return 0;
      }
    }
    return Long.parseLong(id);
  }
}
