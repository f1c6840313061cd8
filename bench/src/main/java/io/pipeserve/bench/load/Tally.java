package io.pipeserve.bench.load;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What one driver measured. Each driver owns one and touches it only from its event loop, so
 * recording takes no lock; the generator merges them once every driver has stopped.
 */
final class Tally {
  private static final int SIGNIFICANT_DIGITS = 3;

  private final Window window;
  // Auto-resizing: no upper bound to guess, a hung server still records its true maximum.
  final Histogram ok = new Histogram(SIGNIFICANT_DIGITS);
  final Histogram failed = new Histogram(SIGNIFICANT_DIGITS);
  final Histogram sendLag = new Histogram(SIGNIFICANT_DIGITS);
  final Map<String, Long> errors = new TreeMap<>();
  long requests;

  Tally(Window window) {
    this.window = window;
  }

  /** A request meant for {@code startNanos} that ended at {@code endNanos} with {@code outcome}. */
  void record(long startNanos, long endNanos, Outcome outcome) {
    if (!window.contains(startNanos)) {
      return;
    }
    requests++;
    long nanos = Math.max(0, endNanos - startNanos);
    if (outcome.isOk()) {
      ok.recordValue(nanos);
    } else {
      failed.recordValue(nanos);
      errors.merge(outcome.code(), 1L, Long::sum);
    }
  }

  /** How late the generator sent a request meant for {@code intendedNanos} (open loop). */
  void sentLate(long intendedNanos, long sentNanos) {
    if (window.contains(intendedNanos)) {
      sendLag.recordValue(Math.max(0, sentNanos - intendedNanos));
    }
  }

  /** Requests that ended with {@code code} and no latency: not sent, never answered. */
  void count(String code, long n) {
    if (n > 0) {
      requests += n;
      errors.merge(code, n, Long::sum);
    }
  }

  void merge(Tally other) {
    ok.add(other.ok);
    failed.add(other.failed);
    sendLag.add(other.sendLag);
    other.errors.forEach((code, n) -> errors.merge(code, n, Long::sum));
    requests += other.requests;
  }
}
