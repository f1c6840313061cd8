package io.pipeserve.runtime.gateway;

import io.pipeserve.proto.paddle.Request;
import io.pipeserve.proto.paddle.Response;
import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Paddle's pipeline messages to and from the executor's fields, shared by the HTTP and gRPC
 * gateways: key/value pairs are String fields, tensors are {@link Tensor} fields, and the response
 * lists the sink op's fields in their insertion order.
 */
public final class PaddleCodec {
  private PaddleCodec() {}

  /**
   * The request's fields: strings first (in key order), then tensors.
   *
   * @throws PipelineException INPUT_PARAMS_ERROR or TYPE_ERROR naming what is wrong
   */
  public static Map<String, Object> toFields(Request request) {
    return toFields(request, null);
  }

  /**
   * The fields of a request parsed by {@link PaddleWire}: its tensors' float data comes from {@code
   * parsed.packed()}.
   */
  public static Map<String, Object> toFields(PaddleWire.Parsed parsed) {
    return toFields(parsed.request(), parsed.packed());
  }

  private static Map<String, Object> toFields(Request request, List<PaddleWire.PackedData> packed) {
    if (request.getKeyCount() != request.getValueCount()) {
      throw PipelineException.input(
          "key and value must pair up: got "
              + request.getKeyCount()
              + " keys and "
              + request.getValueCount()
              + " values");
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i < request.getKeyCount(); i++) {
      String key = request.getKey(i);
      if (key.isEmpty()) {
        throw PipelineException.input("key[" + i + "] is empty; every value needs a name");
      }
      putOnce(fields, key, request.getValue(i), "key[" + i + "]");
    }
    for (int i = 0; i < request.getTensorsCount(); i++) {
      io.pipeserve.proto.paddle.Tensor wire = request.getTensors(i);
      if (wire.getName().isEmpty()) {
        throw PipelineException.input("tensors[" + i + "] has no name; set its \"name\"");
      }
      String where = "tensors[" + i + "] '" + wire.getName() + "'";
      Tensor tensor = TensorCodec.decode(wire, packed == null ? null : packed.get(i), where);
      putOnce(fields, wire.getName(), tensor, where);
    }
    return fields;
  }

  /** A successful response (err_no 0) carrying the sample's fields. */
  public static Response toResponse(Sample sample) {
    Response.Builder response = Response.newBuilder().setErrNo(0).setErrMsg("");
    for (Map.Entry<String, Object> field : sample.fields().entrySet()) {
      Object value = field.getValue();
      if (value == null) {
        continue;
      }
      if (value instanceof Tensor tensor) {
        response.addTensors(TensorCodec.encode(field.getKey(), tensor));
      } else {
        response.addKey(field.getKey()).addValue(text(value));
      }
    }
    return response.build();
  }

  /** A response carrying only the error: what Paddle clients read err_no and err_msg from. */
  public static Response errorResponse(int errNo, String message) {
    return Response.newBuilder().setErrNo(errNo).setErrMsg(message == null ? "" : message).build();
  }

  public static Response errorResponse(PipelineException error) {
    return errorResponse(error.errNo(), error.getMessage());
  }

  private static void putOnce(Map<String, Object> fields, String name, Object value, String where) {
    if (fields.putIfAbsent(name, value) != null) {
      throw PipelineException.input(
          where + ": the name '" + name + "' is given more than once; field names must be unique");
    }
  }

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
}
