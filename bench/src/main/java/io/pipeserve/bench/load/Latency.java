package io.pipeserve.bench.load;

import org.HdrHistogram.Histogram;

/** Percentiles of a latency histogram, in nanoseconds (recorded with 3 significant digits). */
public record Latency(long count, long p50, long p90, long p99, long p999, long max, double mean) {
  public static final Latency EMPTY = new Latency(0, 0, 0, 0, 0, 0, 0);

  public static Latency of(Histogram h) {
    if (h.getTotalCount() == 0) {
      return EMPTY;
    }
    return new Latency(
        h.getTotalCount(),
        h.getValueAtPercentile(50),
        h.getValueAtPercentile(90),
        h.getValueAtPercentile(99),
        h.getValueAtPercentile(99.9),
        h.getMaxValue(),
        h.getMean());
  }

  /** Nanoseconds as milliseconds with microsecond precision: {@code 0.123}. */
  public static String ms(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e6);
  }

  public static String ms(double nanos) {
    return String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e6);
  }
}
