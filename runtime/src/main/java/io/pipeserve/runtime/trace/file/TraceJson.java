package io.pipeserve.runtime.trace.file;

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
 *
 * <p>Written by hand into one reused buffer: at trace rate 1 this runs for every request, and a
 * general JSON generator cost several times more per object.
 */
final class TraceJson {
  private TraceJson() {}

  /** The comma-separated objects of every trace of the request; no surrounding brackets. */
  static String objects(RequestTrace request) {
    StringBuilder out = new StringBuilder(256 * request.traces().size());
    append(request, out);
    return out.toString();
  }

  /** Appends the comma-separated objects of every trace of the request to {@code out}. */
  static void append(RequestTrace request, StringBuilder out) {
    boolean first = true;
    for (TraceRecord trace : request.traces()) {
      first = write(trace, out, first);
    }
  }

  private static boolean write(TraceRecord trace, StringBuilder out, boolean first) {
    boolean headerWritten = false;
    if (!trace.hasTimestamp(TimestampNames.REQUEST_START)) {
      first = header(trace, out, first);
      headerWritten = true;
    }
    for (TraceEntry entry : trace.entries()) {
      if (entry instanceof TraceEntry.Timestamp ts) {
        if (!headerWritten && ts.name().equals(TimestampNames.REQUEST_START)) {
          first = header(trace, out, first);
          headerWritten = true;
        }
        start(out, first, trace.id());
        out.append(",\"timestamps\":[{\"name\":");
        string(out, ts.name());
        out.append(",\"ns\":").append(ts.ns()).append("}]}");
        first = false;
      } else if (entry instanceof TraceEntry.Tensor tensor) {
        start(out, first, trace.id());
        out.append(",\"activity\":");
        string(out, tensor.activity());
        out.append(",\"tensor\":{\"name\":");
        string(out, tensor.tensor().name());
        out.append(",\"data\":");
        string(out, tensor.tensor().data());
        out.append(",\"shape\":");
        string(out, tensor.tensor().shape());
        out.append(",\"dtype\":");
        string(out, tensor.tensor().dtype());
        out.append("}}");
        first = false;
      }
    }
    return first;
  }

  private static boolean header(TraceRecord trace, StringBuilder out, boolean first) {
    start(out, first, trace.id());
    out.append(",\"model_name\":");
    string(out, trace.modelName());
    out.append(",\"model_version\":").append(trace.modelVersion());
    if (!trace.requestId().isEmpty()) {
      out.append(",\"request_id\":");
      string(out, trace.requestId());
    }
    if (trace.parentId().isPresent()) {
      out.append(",\"parent_id\":").append(trace.parentId().getAsLong());
    }
    out.append('}');
    return false;
  }

  private static void start(StringBuilder out, boolean first, long id) {
    if (!first) {
      out.append(',');
    }
    out.append("{\"id\":").append(id);
  }

  /** A JSON string: quotes, backslashes and control characters escaped. */
  private static void string(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
