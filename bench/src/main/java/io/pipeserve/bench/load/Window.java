package io.pipeserve.bench.load;

/**
 * The measured part of a run on the {@link System#nanoTime()} clock: a request counts when it was
 * (meant to be) sent in {@code [start, end)}; earlier ones are warm-up and are not recorded.
 */
record Window(long origin, long start, long end) {
  static Window after(long originNanos, long warmupNanos, long durationNanos) {
    return new Window(
        originNanos, originNanos + warmupNanos, originNanos + warmupNanos + durationNanos);
  }

  boolean contains(long nanos) {
    return nanos >= start && nanos < end;
  }

  double seconds() {
    return (end - start) / 1e9;
  }
}
