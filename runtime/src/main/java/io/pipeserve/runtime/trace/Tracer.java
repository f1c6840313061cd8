package io.pipeserve.runtime.trace;

import io.opentelemetry.api.trace.SpanContext;
import io.pipeserve.runtime.trace.file.RequestTrace;
import io.pipeserve.runtime.trace.file.TraceFileWriter;
import io.pipeserve.runtime.trace.otel.OtelExporter;
import io.pipeserve.runtime.trace.otel.W3CContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the traces of sampled requests and sends finished ones where the mode (fixed at start-up)
 * says. In triton mode that is the trace file, the global setting's, also fixed at start-up (the
 * trace protocol cannot change it); a change of log_frequency is applied to the writer, and every
 * settings change writes out what was kept, as Triton does. In opentelemetry mode it is the OTLP
 * exporter, which follows url and resource changes itself.
 */
public final class Tracer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Tracer.class);
  // Bursts the disk must absorb at rate 1; beyond it traces are dropped and counted, not queued.
  private static final int QUEUE_CAPACITY = 4096;

  private final TraceSettings settings;
  private final TraceFileWriter writer; // triton mode with a file; else null
  private final OtelExporter exporter; // opentelemetry mode; else null
  private final TraceSettingsListener.Subscription subscription;
  private final AtomicLong ids = new AtomicLong();

  private Tracer(TraceSettings settings, TraceFileWriter writer, OtelExporter exporter) {
    this.settings = settings;
    this.writer = writer;
    this.exporter = exporter;
    this.subscription = settings.subscribe(this::onChange);
  }

  /**
   * A tracer for these settings; opens the trace file when the start-up settings name one (triton
   * mode), or starts the OTLP exporter (opentelemetry mode).
   */
  public static Tracer start(TraceSettings settings) {
    TraceSetting global = settings.snapshot().global();
    if (global.mode() == TraceMode.OPENTELEMETRY) {
      return new Tracer(settings, null, OtelExporter.start(settings));
    }
    TraceFileWriter writer = null;
    if (!global.file().isEmpty()) {
      try {
        writer =
            TraceFileWriter.start(Path.of(global.file()), global.logFrequency(), QUEUE_CAPACITY);
      } catch (IOException e) {
        throw new UncheckedIOException("trace file " + global.file() + ": cannot be written", e);
      }
    }
    return new Tracer(settings, writer, null);
  }

  /**
   * Decides, as Triton does, whether this request is traced, and starts its trace when it is.
   * Called once per request, on its arrival.
   *
   * <p>A request brings a W3C trace context when its {@code traceparent} is valid; a malformed one
   * counts as none. Such a request is always traced, and in opentelemetry mode its spans continue
   * the caller's trace.
   *
   * @param traceparent the request's W3C {@code traceparent}; null for none
   * @param tracestate the request's W3C {@code tracestate}; null for none
   * @param requestId the caller's id for the request (Paddle's log_id); empty for none
   * @return the request's trace, or null when it is not traced
   */
  public RequestTracer begin(String traceparent, String tracestate, String requestId) {
    SpanContext caller = W3CContext.extract(traceparent, tracestate);
    TraceSnapshot snapshot = settings.snapshot();
    Optional<TraceSetting> setting = snapshot.sample(snapshot.pipeline(), caller.isValid());
    if (setting.isEmpty() || (writer == null && exporter == null)) {
      return null;
    }
    return new RequestTracer(this, snapshot, requestId, caller);
  }

  /**
   * Trace ids: unique, increasing, so a child's id is above its parent's as Triton's tools need.
   */
  long nextId() {
    return ids.incrementAndGet();
  }

  void finished(RequestTrace trace, SpanContext caller) {
    if (exporter != null) {
      exporter.export(trace, caller);
    } else {
      writer.submit(trace);
    }
  }

  /** Traces dropped because the writer's queue was full. */
  public long droppedTraces() {
    return writer == null ? 0 : writer.droppedCount();
  }

  private void onChange(TraceSnapshot previous, TraceSnapshot current) {
    if (writer == null) {
      return;
    }
    int before = previous.global().logFrequency();
    int after = current.global().logFrequency();
    if (before != after) {
      writer.changeLogFrequency(after);
    } else {
      writer.flush();
    }
  }

  /** Writes what is kept and stops the writer, or exports what is queued and stops the exporter. */
  @Override
  public void close() {
    subscription.close();
    if (exporter != null) {
      exporter.close();
    }
    if (writer != null) {
      writer.close();
      LOG.info(
          "trace file {}: {} request traces written, {} dropped",
          writer.file(),
          writer.writtenCount(),
          writer.droppedCount());
    }
  }
}
