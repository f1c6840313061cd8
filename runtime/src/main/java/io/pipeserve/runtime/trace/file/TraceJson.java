package io.pipeserve.runtime.trace.file;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * Writes traces as the JSON objects Triton's {@code TraceManager::TraceActivity} and {@code
 * TraceTensorActivity} write (src/tracer.cc), without the enclosing array:
 *
 * <pre>
 * {"id":1,"model_name":"ocr","model_version":1,"request_id":"42","parent_id":7}
 * {"id":1,"timestamps":[{"name":"REQUEST_START","ns":2356425054785863}]}
 * {"id":1,"activity":"TENSOR_QUEUE_INPUT","tensor":{"name":"x","data":"0.1,0.2","shape":"1,2","dtype":"FP32"}}
 * </pre>
 *
 * One object per timestamp, in capture order; the header object goes right before the trace's
 * REQUEST_START, which is where Triton writes it, so frontend timestamps captured earlier (HTTP,
 * gRPC) come before it. {@code request_id} and {@code parent_id} appear only when set. Objects are
 * separated by a comma and nothing else, like Triton's stream.
 */
final class TraceJson {
  private static final JsonFactory JSON = new JsonFactory();

  private TraceJson() {}

  /** The comma-separated objects of every trace of the request; no surrounding brackets. */
  static String objects(RequestTrace request) {
    StringWriter out = new StringWriter(256 * request.traces().size());
    try (JsonGenerator json = JSON.createGenerator(out)) {
      // Objects in a root-level sequence get a separator; a comma is what the array needs.
      json.setRootValueSeparator(new SerializedString(","));
      for (TraceRecord trace : request.traces()) {
        write(trace, json);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a string cannot fail", e);
    }
    return out.toString();
  }

  private static void write(TraceRecord trace, JsonGenerator json) throws IOException {
    boolean headerWritten = false;
    if (!trace.hasTimestamp(TimestampNames.REQUEST_START)) {
      header(trace, json);
      headerWritten = true;
    }
    for (TraceEntry entry : trace.entries()) {
      if (entry instanceof TraceEntry.Timestamp ts) {
        if (!headerWritten && ts.name().equals(TimestampNames.REQUEST_START)) {
          header(trace, json);
          headerWritten = true;
        }
        json.writeStartObject();
        json.writeNumberField("id", trace.id());
        json.writeArrayFieldStart("timestamps");
        json.writeStartObject();
        json.writeStringField("name", ts.name());
        json.writeNumberField("ns", ts.ns());
        json.writeEndObject();
        json.writeEndArray();
        json.writeEndObject();
      } else if (entry instanceof TraceEntry.Tensor tensor) {
        json.writeStartObject();
        json.writeNumberField("id", trace.id());
        json.writeStringField("activity", tensor.activity());
        json.writeObjectFieldStart("tensor");
        json.writeStringField("name", tensor.tensor().name());
        json.writeStringField("data", tensor.tensor().data());
        json.writeStringField("shape", tensor.tensor().shape());
        json.writeStringField("dtype", tensor.tensor().dtype());
        json.writeEndObject();
        json.writeEndObject();
      }
    }
  }

  private static void header(TraceRecord trace, JsonGenerator json) throws IOException {
    json.writeStartObject();
    json.writeNumberField("id", trace.id());
    json.writeStringField("model_name", trace.modelName());
    json.writeNumberField("model_version", trace.modelVersion());
    if (!trace.requestId().isEmpty()) {
      json.writeStringField("request_id", trace.requestId());
    }
    if (trace.parentId().isPresent()) {
      json.writeNumberField("parent_id", trace.parentId().getAsLong());
    }
    json.writeEndObject();
  }
}
