package io.pipeserve.runtime.distributed;

import io.pipeserve.runtime.executor.OpObserver;

/**
 * Hands the stage times of each sample the op process answers to its reply. The executor reports a
 * sample's times to its observer on the worker thread right before that thread completes the
 * request's future, and the channel service's completion callback (attached when the sample
 * arrived) runs on that same thread: a thread-local carries the times across, with no map to keep
 * clean when requests fail or time out. A callback that runs on another thread finds no times for
 * its data_id, and the reply goes without them.
 */
final class StageTimes implements OpObserver {
  private final ThreadLocal<OpTimes> last = new ThreadLocal<>();

  @Override
  public void sample(OpTimes times) {
    last.set(times);
  }

  /** The times of sample {@code dataId} if this thread just reported them; else null. */
  OpTimes take(long dataId) {
    OpTimes times = last.get();
    if (times == null || times.dataId() != dataId) {
      return null;
    }
    last.remove();
    return times;
  }
}
