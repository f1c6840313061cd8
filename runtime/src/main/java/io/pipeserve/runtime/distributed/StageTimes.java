package io.pipeserve.runtime.distributed;

import io.pipeserve.runtime.executor.OpObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands the stage times of each sample the op process answers to its reply. The executor reports a
 * sample's times to its observer just before it completes the request's future; the reply takes
 * them by the op process's data_id. A request that is answered otherwise after its times were
 * reported (its deadline won the race) leaves them behind: those are swept once they are older than
 * any request can be.
 */
final class StageTimes implements OpObserver {
  private static final int SWEEP_EVERY = 4096;
  private static final long STALE_NANOS = TimeUnit.MINUTES.toNanos(10);

  private final Map<Long, OpTimes> times = new ConcurrentHashMap<>();
  private final AtomicInteger reported = new AtomicInteger();

  @Override
  public void sample(OpTimes t) {
    times.put(t.dataId(), t);
    if (reported.incrementAndGet() % SWEEP_EVERY == 0) {
      long now = System.nanoTime();
      times.values().removeIf(old -> now - old.postpEnd() > STALE_NANOS);
    }
  }

  @Override
  public void request(long dataId, long latencyNanos, int errNo) {
    if (errNo != 0) {
      times.remove(dataId); // failed after its times were reported: no reply takes them
    }
  }

  /** The times of sample {@code dataId}; null when none were reported. */
  OpTimes take(long dataId) {
    return times.remove(dataId);
  }
}
