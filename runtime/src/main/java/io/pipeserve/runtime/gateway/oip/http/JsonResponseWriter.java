package io.pipeserve.runtime.gateway.oip.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.pipeserve.runtime.gateway.oip.InferResponse;
import io.pipeserve.runtime.gateway.oip.Models;
import io.pipeserve.runtime.gateway.oip.RawTensors;
import io.pipeserve.runtime.gateway.oip.ServedModel;
import io.pipeserve.runtime.gateway.oip.ServerMetadata;
import io.pipeserve.runtime.gateway.oip.TensorMetadata;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The JSON bodies of the REST API. An inference response with binary outputs is the JSON followed
 * by each binary output's raw bytes, in output order, the JSON saying each one's {@code
 * binary_data_size}; {@link Body#jsonLength} is then what {@code Inference-Header-Content-Length}
 * announces.
 */
final class JsonResponseWriter {
  private static final JsonFactory JSON = new JsonFactory();

  private JsonResponseWriter() {}

  /**
   * A body to send.
   *
   * @param jsonLength the length of its JSON part when binary data follows it; -1 when it is all
   *     JSON
   */
  record Body(Buffer bytes, int jsonLength) {}

  /**
   * @param binary which outputs go in the binary section
   */
  static Body infer(InferResponse response, Predicate<String> binary) {
    List<ByteBuffer> blobs = new ArrayList<>();
    byte[] json =
        json(
            g -> {
              g.writeStartObject();
              g.writeStringField("model_name", response.model());
              g.writeStringField("model_version", response.version());
              if (!response.id().isEmpty()) {
                g.writeStringField("id", response.id());
              }
              if (!response.parameters().isEmpty()) {
                g.writeObjectFieldStart("parameters");
                for (Map.Entry<String, String> p : response.parameters().entrySet()) {
                  g.writeStringField(p.getKey(), p.getValue());
                }
                g.writeEndObject();
              }
              g.writeArrayFieldStart("outputs");
              for (InferResponse.Output out : response.outputs()) {
                g.writeStartObject();
                g.writeStringField("name", out.name());
                g.writeStringField("datatype", out.datatype().name());
                g.writeArrayFieldStart("shape");
                for (long d : out.tensor().shape()) {
                  g.writeNumber(d);
                }
                g.writeEndArray();
                if (binary.test(out.name())) {
                  ByteBuffer raw = RawTensors.encode(out.tensor());
                  blobs.add(raw);
                  g.writeObjectFieldStart("parameters");
                  g.writeNumberField(JsonRequestReader.BINARY_DATA_SIZE, raw.remaining());
                  g.writeEndObject();
                } else {
                  g.writeFieldName("data");
                  JsonData.write(g, out.tensor());
                }
                g.writeEndObject();
              }
              g.writeEndArray();
              g.writeEndObject();
            });
    if (blobs.isEmpty()) {
      return new Body(Buffer.buffer(json), -1);
    }
    long size = json.length;
    for (ByteBuffer b : blobs) {
      size += b.remaining();
    }
    Buffer body = Buffer.buffer(Math.toIntExact(size)).appendBytes(json);
    for (ByteBuffer b : blobs) {
      if (b.hasArray()) {
        body.appendBytes(b.array(), b.arrayOffset() + b.position(), b.remaining());
      } else {
        byte[] copy = new byte[b.remaining()];
        b.duplicate().get(copy);
        body.appendBytes(copy);
      }
    }
    return new Body(body, json.length);
  }

  static Buffer model(ServedModel model) {
    return Buffer.buffer(
        json(
            g -> {
              g.writeStartObject();
              g.writeStringField("name", model.name());
              g.writeArrayFieldStart("versions");
              g.writeString(Models.VERSION);
              g.writeEndArray();
              g.writeStringField("platform", model.platform());
              tensors(g, "inputs", model.inputs());
              tensors(g, "outputs", model.outputs());
              g.writeEndObject();
            }));
  }

  static Buffer server(ServerMetadata server) {
    return Buffer.buffer(
        json(
            g -> {
              g.writeStartObject();
              g.writeStringField("name", server.name());
              g.writeStringField("version", server.version());
              g.writeArrayFieldStart("extensions");
              for (String e : server.extensions()) {
                g.writeString(e);
              }
              g.writeEndArray();
              g.writeEndObject();
            }));
  }

  static Buffer error(String message) {
    return Buffer.buffer(
        json(
            g -> {
              g.writeStartObject();
              g.writeStringField("error", message);
              g.writeEndObject();
            }));
  }

  private static void tensors(JsonGenerator g, String field, List<TensorMetadata> tensors)
      throws IOException {
    g.writeArrayFieldStart(field);
    for (TensorMetadata t : tensors) {
      g.writeStartObject();
      g.writeStringField("name", t.name());
      g.writeStringField("datatype", t.datatype().name());
      g.writeArrayFieldStart("shape");
      for (long d : t.shape()) {
        g.writeNumber(d);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  @FunctionalInterface
  private interface Writing {
    void write(JsonGenerator g) throws IOException;
  }

  private static byte[] json(Writing writing) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      writing.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing to memory: only a bug gets here
    }
    return out.toByteArray();
  }
}
