package io.pipeserve.runtime.trace;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Triton's sampling for one scope: each request advances a counter and is traced when the counter
 * reaches a multiple of the rate and the count allows (-1: no limit; otherwise one is taken per
 * trace, and at 0 tracing stops until the count is set again). Rate 0 traces only requests that
 * bring a W3C trace context; a request that brings one is always traced. Nothing is traced while
 * the level is OFF, or in triton mode without a trace file.
 *
 * <p>Runs on every request, so it is two atomics and no lock. The counters outlive a settings
 * change where the change leaves them alone: the request counter while the rate stays, the count
 * left unless the change sets the count again.
 */
final class Sampler {
  private final TraceSetting setting;
  private final AtomicLong requests;
  private final AtomicInteger remaining;

  Sampler(TraceSetting setting) {
    this(setting, new AtomicLong(), new AtomicInteger(setting.count()));
  }

  private Sampler(TraceSetting setting, AtomicLong requests, AtomicInteger remaining) {
    this.setting = setting;
    this.requests = requests;
    this.remaining = remaining;
  }

  /**
   * The sampler of {@code next}, sharing this one's counters where they still apply.
   *
   * @param rearm whether the count was set (or cleared) again, which starts it over
   */
  Sampler next(TraceSetting next, boolean rearm) {
    return new Sampler(
        next,
        next.rate() == setting.rate() ? requests : new AtomicLong(),
        rearm ? new AtomicInteger(next.count()) : remaining);
  }

  /** Whether to trace this request; {@code hasContext}: it brought a W3C trace context. */
  boolean sample(boolean hasContext) {
    if (setting.isOff() || !setting.hasDestination()) {
      return false;
    }
    int rate = setting.rate();
    if (rate == 0) {
      return hasContext;
    }
    boolean due = requests.incrementAndGet() % rate == 0;
    // A request with a context is traced anyway; it still uses up the count when it was due, as
    // in Triton.
    return (due && takeOne()) || hasContext;
  }

  private boolean takeOne() {
    while (true) {
      int left = remaining.get();
      if (left < 0) {
        return true;
      }
      if (left == 0) {
        return false;
      }
      if (remaining.compareAndSet(left, left - 1)) {
        return true;
      }
    }
  }

  /** Traces still allowed; -1 for no limit. */
  int remaining() {
    return remaining.get();
  }

  TraceSetting setting() {
    return setting;
  }
}
