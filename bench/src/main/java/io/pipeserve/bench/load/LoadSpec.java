package io.pipeserve.bench.load;

import java.time.Duration;

/**
 * One load run.
 *
 * @param ioThreads event loops of the generator; its requests are spread evenly over them
 * @param drain how long to wait after the run for requests still in flight before counting them as
 *     {@link Outcome#NO_ANSWER}
 */
public record LoadSpec(
    Mode mode, Duration warmup, Duration duration, int ioThreads, Duration drain) {
  public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(10);

  public LoadSpec {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be > 0, got " + duration);
    }
    if (warmup.isNegative()) {
      throw new IllegalArgumentException("warmup must be >= 0, got " + warmup);
    }
    if (ioThreads < 1) {
      throw new IllegalArgumentException("io threads must be >= 1, got " + ioThreads);
    }
  }

  public static LoadSpec closed(int clients, Duration warmup, Duration duration) {
    return new LoadSpec(
        new Mode.Closed(clients), warmup, duration, defaultIoThreads(), DEFAULT_DRAIN);
  }

  public static LoadSpec open(
      double ratePerSecond, int maxOutstanding, Duration warmup, Duration duration) {
    return new LoadSpec(
        new Mode.Open(ratePerSecond, maxOutstanding),
        warmup,
        duration,
        defaultIoThreads(),
        DEFAULT_DRAIN);
  }

  public LoadSpec withIoThreads(int n) {
    return new LoadSpec(mode, warmup, duration, n, drain);
  }

  public LoadSpec withDrain(Duration d) {
    return new LoadSpec(mode, warmup, duration, ioThreads, d);
  }

  /**
   * Half the cores, at least one: the server under test usually shares the machine, and a generator
   * that takes every core measures itself.
   */
  public static int defaultIoThreads() {
    return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
  }
}
