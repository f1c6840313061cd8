package io.pipeserve.runtime.gateway.oip.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.pipeserve.runtime.gateway.oip.Datatype;
import io.pipeserve.runtime.gateway.oip.InferRequest;
import io.pipeserve.runtime.gateway.oip.OipError;
import io.pipeserve.runtime.gateway.oip.RawTensors;
import io.pipeserve.runtime.gateway.oip.RequestedOutput;
import io.pipeserve.runtime.gateway.oip.Shapes;
import io.pipeserve.runtime.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the body of {@code POST .../infer}: a JSON inference request, optionally followed by the
 * binary-data extension's section, whose tensors are sliced out of the body in input order by their
 * {@code binary_data_size} parameter and read in place ({@link RawTensors}).
 *
 * <p>JSON is read as a stream, each tensor's {@code data} straight into its array; data that comes
 * before the tensor's datatype and shape (keys may come in any order) is held as tokens until they
 * are known.
 */
final class JsonRequestReader {
  static final String BINARY_DATA_SIZE = "binary_data_size";
  static final String BINARY_DATA = "binary_data";

  // Python's json module, which most clients use, writes NaN and Infinity bare.
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private final String model;
  private final String version;
  private final byte[] body;
  private final int headerLength;

  private JsonRequestReader(String model, String version, byte[] body, int headerLength) {
    this.model = model;
    this.version = version;
    this.body = body;
    this.headerLength = headerLength;
  }

  /**
   * @param headerLength the JSON's length (the {@code Inference-Header-Content-Length}); {@code
   *     body.length} when the request has no binary section
   * @param binaryExtension whether the request declared a binary section (sent the header)
   * @throws OipError INVALID naming what is malformed
   */
  static InferRequest read(
      String model, String version, byte[] body, int headerLength, boolean binaryExtension) {
    JsonRequestReader reader = new JsonRequestReader(model, version, body, headerLength);
    try {
      return reader.read(binaryExtension);
    } catch (JsonProcessingException e) {
      throw OipError.invalid(
          "the request body is not valid JSON: "
              + e.getOriginalMessage()
              + " (at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ")");
    } catch (IOException e) {
      throw OipError.invalid("cannot read the request body: " + e.getMessage());
    }
  }

  /** An input as read from the JSON; its tensor once its data is read. */
  private static final class Input {
    final String where;
    String name;
    Datatype datatype;
    long[] shape;
    Map<String, Object> parameters = Map.of();
    Tensor tensor;
    TokenBuffer pendingData;
    boolean hasData;

    Input(int index) {
      this.where = "inputs[" + index + "]";
    }

    String describe() {
      return name == null ? where : "input '" + name + "'";
    }
  }

  private InferRequest read(boolean binaryExtension) throws IOException {
    String id = "";
    Map<String, Object> parameters = Map.of();
    List<Input> inputs = new ArrayList<>();
    List<RequestedOutput> outputs = new ArrayList<>();
    boolean sawInputs = false;
    try (JsonParser p = JSON.createParser(body, 0, headerLength)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw OipError.invalid(
            "the request body must be a JSON object with \"inputs\", got "
                + (p.currentToken() == null ? "nothing" : p.getText()));
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        p.nextToken();
        switch (key) {
          case "id" -> id = string(p, "\"id\"");
          case "parameters" -> parameters = parameters(p, "the request's \"parameters\"");
          case "inputs" -> {
            sawInputs = true;
            expectArray(p, "\"inputs\"");
            while (p.nextToken() != JsonToken.END_ARRAY) {
              inputs.add(input(p, inputs.size()));
            }
          }
          case "outputs" -> {
            expectArray(p, "\"outputs\"");
            while (p.nextToken() != JsonToken.END_ARRAY) {
              outputs.add(output(p, outputs.size()));
            }
          }
          default -> p.skipChildren(); // later protocol additions: not ours to refuse
        }
      }
      if (p.nextToken() != null) {
        throw OipError.invalid("the request body has more after its JSON object");
      }
    }
    if (!sawInputs) {
      throw OipError.invalid("the request has no \"inputs\"");
    }
    Object binaryOutput = parameters.get("binary_data_output");
    if (binaryOutput != null && !(binaryOutput instanceof Boolean)) {
      throw OipError.invalid(
          "request parameter 'binary_data_output' must be true or false, got " + binaryOutput);
    }
    return new InferRequest(
        model, version, id, parameters, tensors(inputs, binaryExtension), outputs);
  }

  private Input input(JsonParser p, int index) throws IOException {
    Input in = new Input(index);
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw OipError.invalid(in.where + " must be a JSON object");
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      p.nextToken();
      switch (key) {
        case "name" -> in.name = string(p, in.where + ".name");
        case "datatype" -> in.datatype = Datatype.parse(string(p, in.describe()), in.describe());
        case "shape" -> in.shape = shape(p, in.describe());
        case "parameters" -> in.parameters = parameters(p, in.describe() + " parameters");
        case "data" -> {
          in.hasData = true;
          if (in.datatype != null && in.shape != null) {
            in.tensor = JsonData.read(p, in.datatype, in.shape, in.describe());
          } else {
            in.pendingData = new TokenBuffer(p);
            in.pendingData.copyCurrentStructure(p);
          }
        }
        default -> p.skipChildren();
      }
    }
    if (in.name == null || in.name.isEmpty()) {
      throw OipError.invalid(in.where + " has no \"name\"");
    }
    if (in.datatype == null) {
      throw OipError.invalid(in.describe() + " has no \"datatype\"");
    }
    if (in.shape == null) {
      throw OipError.invalid(in.describe() + " has no \"shape\"");
    }
    if (in.pendingData != null) {
      try (JsonParser data = in.pendingData.asParser()) {
        data.nextToken();
        in.tensor = JsonData.read(data, in.datatype, in.shape, in.describe());
      }
    }
    return in;
  }

  // Binary sections follow the JSON in the order of the inputs that declare one.
  private Map<String, Tensor> tensors(List<Input> inputs, boolean binaryExtension) {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    int offset = headerLength;
    for (Input in : inputs) {
      Object size = in.parameters.get(BINARY_DATA_SIZE);
      if (size != null) {
        if (in.hasData) {
          throw OipError.invalid(
              in.describe() + " has both \"data\" and binary_data_size; send one of them");
        }
        if (!binaryExtension) {
          throw OipError.invalid(
              in.describe()
                  + " has binary_data_size but the request has no Inference-Header-Content-Length"
                  + " header saying where its JSON ends");
        }
        if (!(size instanceof Long length) || length < 0) {
          throw OipError.invalid(
              in.describe() + ": binary_data_size must be a non-negative integer, got " + size);
        }
        int left = body.length - offset;
        if (length > left) {
          throw OipError.invalid(
              in.describe()
                  + ": binary_data_size "
                  + length
                  + " goes past the end of the body ("
                  + left
                  + " bytes of binary data left for it)");
        }
        ByteBuffer bytes = ByteBuffer.wrap(body, offset, (int) (long) length);
        in.tensor =
            RawTensors.decode(
                in.datatype, in.shape, bytes, in.describe() + " (binary_data_size " + length + ")");
        offset += (int) (long) length;
      } else if (!in.hasData) {
        throw OipError.invalid(
            in.describe() + " has neither \"data\" nor a binary_data_size parameter");
      }
      if (tensors.putIfAbsent(in.name, in.tensor) != null) {
        throw OipError.invalid(
            "input '" + in.name + "' is given more than once; input names must be unique");
      }
    }
    if (offset != body.length) {
      throw OipError.invalid(
          (body.length - headerLength)
              + " bytes of binary data follow the JSON (Inference-Header-Content-Length "
              + headerLength
              + "), but the inputs' binary_data_size add up to "
              + (offset - headerLength));
    }
    return tensors;
  }

  private static RequestedOutput output(JsonParser p, int index) throws IOException {
    String where = "outputs[" + index + "]";
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw OipError.invalid(where + " must be a JSON object with a \"name\"");
    }
    String name = null;
    Map<String, Object> parameters = Map.of();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      p.nextToken();
      switch (key) {
        case "name" -> name = string(p, where + ".name");
        case "parameters" -> parameters = parameters(p, where + " parameters");
        default -> p.skipChildren();
      }
    }
    if (name == null || name.isEmpty()) {
      throw OipError.invalid(where + " has no \"name\"");
    }
    if (parameters.containsKey("classification")) {
      throw new OipError(
          OipError.Status.UNSUPPORTED,
          "output '" + name + "': the classification extension is not supported by this server");
    }
    Object binary = parameters.get(BINARY_DATA);
    if (binary != null && !(binary instanceof Boolean)) {
      throw OipError.invalid(
          "output '" + name + "': parameter binary_data must be true or false, got " + binary);
    }
    return new RequestedOutput(name, (Boolean) binary);
  }

  /** A parameters object: name → Boolean, Long, BigInteger (past Long), Double or String. */
  private static Map<String, Object> parameters(JsonParser p, String where) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw OipError.invalid(where + " must be a JSON object");
    }
    Map<String, Object> parameters = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      parameters.put(
          name,
          switch (value) {
            case VALUE_TRUE, VALUE_FALSE -> p.getBooleanValue();
            case VALUE_NUMBER_INT ->
                p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? p.getBigIntegerValue()
                    : (Object) p.getLongValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_STRING -> p.getText();
            default ->
                throw OipError.invalid(
                    where
                        + ": '"
                        + name
                        + "' must be a boolean, number or string (parameters are not nested)");
          });
    }
    return parameters;
  }

  private static long[] shape(JsonParser p, String where) throws IOException {
    expectArray(p, where + " shape");
    List<Long> dims = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() != JsonToken.VALUE_NUMBER_INT
          || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        throw OipError.invalid(
            where + ": shape must be an array of integers, found " + p.getText());
      }
      dims.add(p.getLongValue());
    }
    return Shapes.of(dims, where);
  }

  private static String string(JsonParser p, String where) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw OipError.invalid(where + " must be a string, got " + p.getText());
    }
    return p.getText();
  }

  private static void expectArray(JsonParser p, String where) {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw OipError.invalid(where + " must be a JSON array");
    }
  }
}
