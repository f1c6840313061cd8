package io.pipeserve.runtime.trace;

import io.pipeserve.runtime.trace.file.RequestTrace;
import io.pipeserve.runtime.trace.file.TraceFileWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the traces of sampled requests and sends finished ones to the Triton trace file. The file
 * is the global setting's, fixed at start-up (the trace protocol cannot change it); a change of
 * log_frequency is applied to the writer, and every settings change writes out what was kept, as
 * Triton does.
 */
public final class Tracer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Tracer.class);
  // Bursts the disk must absorb at rate 1; beyond it traces are dropped and counted, not queued.
  private static final int QUEUE_CAPACITY = 4096;

  private final TraceSettings settings;
  private final TraceFileWriter writer;
  private final TraceSettingsListener.Subscription subscription;
  private final AtomicLong ids = new AtomicLong();

  private Tracer(TraceSettings settings, TraceFileWriter writer) {
    this.settings = settings;
    this.writer = writer;
    this.subscription = settings.subscribe(this::onChange);
  }

  /** A tracer for these settings; opens the trace file when the start-up settings name one. */
  public static Tracer start(TraceSettings settings) {
    TraceSetting global = settings.snapshot().global();
    TraceFileWriter writer = null;
    if (!global.file().isEmpty()) {
      try {
        writer =
            TraceFileWriter.start(Path.of(global.file()), global.logFrequency(), QUEUE_CAPACITY);
      } catch (IOException e) {
        throw new UncheckedIOException("trace file " + global.file() + ": cannot be written", e);
      }
    }
    return new Tracer(settings, writer);
  }

  /**
   * Decides, as Triton does, whether this request is traced, and starts its trace when it is.
   * Called once per request, on its arrival.
   *
   * @param hasContext whether the request brought a W3C trace context
   * @param requestId the caller's id for the request (Paddle's log_id); empty for none
   * @return the request's trace, or null when it is not traced
   */
  public RequestTracer begin(boolean hasContext, String requestId) {
    TraceSnapshot snapshot = settings.snapshot();
    Optional<TraceSetting> setting = snapshot.sample(snapshot.pipeline(), hasContext);
    if (setting.isEmpty() || setting.get().mode() != TraceMode.TRITON || writer == null) {
      // OpenTelemetry export comes with its own exporter; until then such requests go untraced.
      return null;
    }
    return new RequestTracer(this, snapshot, setting.get(), requestId);
  }

  /**
   * Trace ids: unique, increasing, so a child's id is above its parent's as Triton's tools need.
   */
  long nextId() {
    return ids.incrementAndGet();
  }

  void finished(RequestTrace trace) {
    writer.submit(trace);
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

  /** Writes what is kept and stops the writer. */
  @Override
  public void close() {
    subscription.close();
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
