package io.pipeserve.runtime.trace.otel;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.Map;

/** The W3C trace context ({@code traceparent}, {@code tracestate}) a request brought. */
public final class W3CContext {
  private static final TextMapGetter<Map<String, String>> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  private W3CContext() {}

  /**
   * The caller's span context; {@link SpanContext#getInvalid()} when it sent no {@code traceparent}
   * or a malformed one, which counts as no context.
   */
  public static SpanContext extract(String traceparent, String tracestate) {
    if (traceparent == null || traceparent.isEmpty()) {
      return SpanContext.getInvalid();
    }
    Map<String, String> carrier = new HashMap<>(2);
    carrier.put("traceparent", traceparent);
    if (tracestate != null) {
      carrier.put("tracestate", tracestate);
    }
    Context context =
        W3CTraceContextPropagator.getInstance().extract(Context.root(), carrier, GETTER);
    return Span.fromContext(context).getSpanContext();
  }
}
