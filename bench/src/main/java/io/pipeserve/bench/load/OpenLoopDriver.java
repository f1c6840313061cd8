package io.pipeserve.bench.load;

import io.pipeserve.bench.client.Transport;
import io.vertx.core.Context;
import java.util.concurrent.TimeUnit;

/**
 * This event loop's share of a fixed timetable. With {@code n} loops at a total rate r, loop {@code
 * i} owns the slots i, i+n, i+2n… of the global timetable (one every 1/r s), so the loops together
 * keep the exact rate with no shared state.
 */
final class OpenLoopDriver extends Driver {
  private final long periodNanos;
  private final int maxOutstanding;
  private long next;

  OpenLoopDriver(
      Context context,
      Transport transport,
      Window window,
      double ratePerSecond,
      int loops,
      int index,
      int maxOutstanding) {
    super(context, transport, window);
    double slot = 1e9 / ratePerSecond;
    this.periodNanos = Math.max(1, Math.round(slot * loops));
    this.next = window.origin() + Math.round(slot * index);
    this.maxOutstanding = maxOutstanding;
  }

  @Override
  void begin() {
    tick();
  }

  @Override
  void answered() {
    if (next >= window.end()) {
      doneWhenIdle();
    }
  }

  // Sends every request that is due, then sleeps until the next one. Vert.x timers take
  // nanoseconds, so at high rates the loop wakes per request rather than per millisecond, and a
  // late wake-up is charged to latency (from the intended time), never hidden.
  private void tick() {
    if (closed()) {
      return;
    }
    long now = System.nanoTime();
    while (next <= now && next < window.end()) {
      if (outstanding() >= maxOutstanding) {
        if (window.contains(next)) {
          tally.count(Outcome.NOT_SENT, 1);
        }
      } else {
        tally.sentLate(next, now);
        send(next);
      }
      next += periodNanos;
    }
    if (next >= window.end()) {
      doneWhenIdle();
      return;
    }
    long wait = next - System.nanoTime();
    if (wait <= 0) {
      context.runOnContext(v -> tick());
    } else {
      context.owner().timer(wait, TimeUnit.NANOSECONDS).onComplete(t -> tick());
    }
  }
}
