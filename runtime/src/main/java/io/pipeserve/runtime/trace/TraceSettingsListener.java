package io.pipeserve.runtime.trace;

/**
 * Told of every trace-settings change, so what acts on the settings (the trace-file writer, the
 * OpenTelemetry exporter) can react: flush the file when the file or log_frequency changes, repoint
 * the exporter when the url changes.
 *
 * <p>Called after the new snapshot is visible to requests, on the thread that made the change,
 * which is never an event loop (the gateways change settings on a worker); changes are serialized,
 * so calls never overlap. Brief I/O is fine; anything long belongs on the listener's own executor.
 * A listener that throws is logged and does not stop the change or the other listeners.
 */
@FunctionalInterface
public interface TraceSettingsListener {
  void onChange(TraceSnapshot previous, TraceSnapshot current);

  /** Ends a subscription. */
  @FunctionalInterface
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
