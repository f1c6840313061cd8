package io.pipeserve.runtime.executor;

import java.util.List;

/**
 * Sees every sample an op processed and every request's outcome: the one place the executor reports
 * to statistics (pipeline.tracer, profile tables, Prometheus). Called on worker and timer threads,
 * so an observer must be quick, thread-safe and never block.
 */
public interface OpObserver {
  OpObserver NONE = new OpObserver() {};

  /** One sample that went through an op, preprocess to hand-on. */
  default void sample(OpTimes times) {}

  /**
   * One request answered, or refused before admission.
   *
   * @param dataId 0 when it was refused before it got one
   * @param latencyNanos from admission to the answer; 0 when refused
   * @param errNo 0 on success, else the Paddle err_no it was answered with
   */
  default void request(long dataId, long latencyNanos, int errNo) {}

  /** All of {@code observers}, in order; {@link #NONE} when there are none. */
  static OpObserver all(List<OpObserver> observers) {
    List<OpObserver> list = observers.stream().filter(o -> o != NONE).toList();
    if (list.isEmpty()) {
      return NONE;
    }
    if (list.size() == 1) {
      return list.get(0);
    }
    return new OpObserver() {
      @Override
      public void sample(OpTimes times) {
        list.forEach(o -> o.sample(times));
      }

      @Override
      public void request(long dataId, long latencyNanos, int errNo) {
        list.forEach(o -> o.request(dataId, latencyNanos, errNo));
      }
    };
  }

  /**
   * Steady-clock timestamps (ns) of one sample at one op. Stages as Paddle's tracer names them: in
   * (waiting in the channel), prep, midp (the process call of its batch, retries included), postp
   * and out (handing it on to the next channels or the response).
   *
   * @param worker the op worker's index
   * @param batchIndex the sample's position in its batch (0 for the first)
   * @param batchSamples samples in its batch
   * @param batchItems items in its batch (what batch.size counts)
   */
  record OpTimes(
      String op,
      int worker,
      long dataId,
      long readyNanos,
      long prepStart,
      long prepEnd,
      long midpStart,
      long midpEnd,
      long postpStart,
      long postpEnd,
      long outEnd,
      int batchIndex,
      int batchSamples,
      int batchItems) {

    public long inNanos() {
      return Math.max(0, prepStart - readyNanos);
    }

    public long prepNanos() {
      return prepEnd - prepStart;
    }

    public long midpNanos() {
      return midpEnd - midpStart;
    }

    public long postpNanos() {
      return postpEnd - postpStart;
    }

    public long outNanos() {
      return outEnd - postpEnd;
    }

    /**
     * The worker time this sample took: its own prep, postp and out, and its share of the batch's
     * process call.
     */
    public long busyNanos() {
      return prepNanos() + midpNanos() / Math.max(1, batchSamples) + postpNanos() + outNanos();
    }
  }
}
