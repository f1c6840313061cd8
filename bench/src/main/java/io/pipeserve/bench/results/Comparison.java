package io.pipeserve.bench.results;

import java.util.List;

/**
 * Runs of one invocation against the baseline measured in it. Ratios are only meaningful between
 * runs of the same client, concurrency and machine, which is why they are never taken across
 * invocations.
 */
public record Comparison(Run baseline, List<Run> runs) {
  public Comparison {
    runs = List.copyOf(runs);
  }

  /** The baseline first, then the other runs. */
  public List<Run> all() {
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(baseline), runs.stream())
        .toList();
  }

  /** Successful requests per second of {@code run} over the baseline's: 1.0 = no overhead. */
  public double throughputRatio(Run run) {
    double base = baseline.result().throughput();
    return base == 0 ? Double.NaN : run.result().throughput() / base;
  }

  /** Median latency {@code run} adds over the baseline, in nanoseconds. */
  public long addedP50Nanos(Run run) {
    return run.result().latency().p50() - baseline.result().latency().p50();
  }
}
