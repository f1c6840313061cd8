package io.pipeserve.runtime.trace.otel;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.pipeserve.runtime.trace.file.RequestTrace;
import io.pipeserve.runtime.trace.file.TimestampNames;
import io.pipeserve.runtime.trace.file.TraceEntry;
import io.pipeserve.runtime.trace.file.TraceRecord;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Turns the finished trace of one request into spans, after the fact, with the timestamps the
 * request recorded: a root span for the request (from its first to its last timestamp), under it a
 * span per op execution (REQUEST_START to REQUEST_END) with {@code queue} and {@code compute}
 * inside, and in {@code compute} the {@code preprocess}, {@code infer} and {@code postprocess}
 * stages; an op that runs in processes of its own also has {@code send} and {@code receive}, the
 * network legs of its hop. Every timestamp is also an event of its span, and the trace's attributes
 * (data_id, batch size, worker: {@code TraceAttributes}) are attributes of its span. A span whose
 * timestamps are missing (a request that failed midway) is left out.
 */
final class SpanConverter {
  static final AttributeKey<String> PIPELINE = AttributeKey.stringKey("pipeline");
  static final AttributeKey<String> OP = AttributeKey.stringKey("op");
  static final AttributeKey<String> LOG_ID = AttributeKey.stringKey("log_id");

  private final Tracer tracer;
  private final long epochOffsetNs;

  /**
   * @param epochOffsetNs added to a steady-clock timestamp ({@link System#nanoTime()}) gives epoch
   *     ns
   */
  SpanConverter(Tracer tracer, long epochOffsetNs) {
    this.tracer = tracer;
    this.epochOffsetNs = epochOffsetNs;
  }

  /**
   * Emits the spans of {@code request}; the root continues {@code caller}'s trace when it is valid.
   */
  void emit(RequestTrace request, SpanContext caller) {
    List<TraceRecord> traces = request.traces();
    TraceRecord pipeline = traces.get(0);
    Map<String, Long> ts = pipeline.timestamps();
    if (ts.isEmpty()) {
      return;
    }
    SpanBuilder builder =
        tracer
            .spanBuilder(pipeline.modelName() + " infer")
            .setSpanKind(SpanKind.SERVER)
            .setAttribute(PIPELINE, pipeline.modelName())
            .setStartTimestamp(epoch(Collections.min(ts.values())), TimeUnit.NANOSECONDS);
    if (caller.isValid()) {
      builder.setParent(Context.root().with(Span.wrap(caller)));
    } else {
      builder.setNoParent();
    }
    if (!pipeline.requestId().isEmpty()) {
      builder.setAttribute(LOG_ID, pipeline.requestId());
    }
    pipeline.attributes().forEach(builder::setAttribute);
    Span root = builder.startSpan();
    addEvents(root, pipeline);
    Context rootContext = Context.root().with(root);
    for (TraceRecord op : traces.subList(1, traces.size())) {
      emitOp(rootContext, pipeline, op);
    }
    root.end(epoch(Collections.max(ts.values())), TimeUnit.NANOSECONDS);
  }

  private void emitOp(Context parent, TraceRecord pipeline, TraceRecord op) {
    Map<String, Long> ts = op.timestamps();
    Long start = ts.get(TimestampNames.REQUEST_START);
    Long end = ts.getOrDefault(TimestampNames.REQUEST_END, ts.get(TimestampNames.COMPUTE_END));
    if (start == null || end == null) {
      return;
    }
    SpanBuilder builder =
        tracer
            .spanBuilder(op.modelName())
            .setParent(parent)
            .setAttribute(PIPELINE, pipeline.modelName())
            .setAttribute(OP, op.modelName())
            .setStartTimestamp(epoch(start), TimeUnit.NANOSECONDS);
    if (!op.requestId().isEmpty()) {
      builder.setAttribute(LOG_ID, op.requestId());
    }
    op.attributes().forEach(builder::setAttribute);
    Span span = builder.startSpan();
    addEvents(span, op);
    Context opContext = parent.with(span);
    // An op in its own processes: the two network legs of the hop (absent for an op run here).
    stage(
        opContext, "send", ts, TimestampNames.CHANNEL_SEND_START, TimestampNames.CHANNEL_SEND_END);
    stage(
        opContext,
        "receive",
        ts,
        TimestampNames.CHANNEL_RECV_START,
        TimestampNames.CHANNEL_RECV_END);
    stage(opContext, "queue", ts, TimestampNames.QUEUE_START, TimestampNames.COMPUTE_START);
    Span compute =
        stage(opContext, "compute", ts, TimestampNames.COMPUTE_START, TimestampNames.COMPUTE_END);
    if (compute != null) {
      Context computeContext = opContext.with(compute);
      stage(
          computeContext,
          "preprocess",
          ts,
          TimestampNames.COMPUTE_START,
          TimestampNames.COMPUTE_INPUT_END);
      stage(
          computeContext,
          "infer",
          ts,
          TimestampNames.COMPUTE_INPUT_END,
          TimestampNames.COMPUTE_OUTPUT_START);
      stage(
          computeContext,
          "postprocess",
          ts,
          TimestampNames.COMPUTE_OUTPUT_START,
          TimestampNames.COMPUTE_END);
    }
    span.end(epoch(end), TimeUnit.NANOSECONDS);
  }

  /** A span from timestamp {@code from} to {@code to}; null (and none) when one is missing. */
  private Span stage(Context parent, String name, Map<String, Long> ts, String from, String to) {
    Long start = ts.get(from);
    Long end = ts.get(to);
    if (start == null || end == null) {
      return null;
    }
    Span span =
        tracer
            .spanBuilder(name)
            .setParent(parent)
            .setStartTimestamp(epoch(start), TimeUnit.NANOSECONDS)
            .startSpan();
    span.end(epoch(end), TimeUnit.NANOSECONDS);
    return span;
  }

  private void addEvents(Span span, TraceRecord trace) {
    for (TraceEntry entry : trace.entries()) {
      if (entry instanceof TraceEntry.Timestamp t) {
        span.addEvent(t.name(), epoch(t.ns()), TimeUnit.NANOSECONDS);
      }
    }
  }

  private long epoch(long steadyNs) {
    return steadyNs + epochOffsetNs;
  }
}
