package io.pipeserve.runtime.distributed;

import io.pipeserve.proto.channel.Timing;
import io.pipeserve.runtime.executor.OpObserver.OpTimes;
import io.pipeserve.runtime.trace.RequestTracer;
import io.pipeserve.runtime.trace.file.TimestampNames;

/**
 * One sample's hop to an op process and back, on the gateway's clock. The gateway knows when it
 * sent the sample and when the result arrived; the op process says how long it held the sample and
 * when, within that, each stage ran. What is left of the round trip is the network, split evenly
 * between the two legs (the clocks of two processes cannot be compared directly), which places the
 * op's stages on the gateway's clock.
 */
final class HopTimes {
  private final long sent;
  private final long received;
  private final long arrived; // the op process received the sample
  private final Timing timing;

  HopTimes(long sent, long received, Timing timing) {
    this.sent = sent;
    this.received = received;
    this.timing = timing;
    long held = Math.min(timing.getReplyNs(), received - sent);
    this.arrived = sent + (received - sent - held) / 2;
  }

  /** Time on the network, both legs together (ns). */
  long networkNanos() {
    return received - sent - Math.min(timing.getReplyNs(), received - sent);
  }

  private long at(long offset) {
    return Math.min(arrived + offset, received);
  }

  private boolean hasStages() {
    return timing.getPostpEndNs() > 0;
  }

  /** The sample's stage times for the gateway's statistics, as if the op had run here. */
  OpTimes opTimes(String op, long dataId, long readyNanos) {
    if (!hasStages()) {
      long replied = at(timing.getReplyNs());
      return new OpTimes(
          op,
          0,
          dataId,
          readyNanos,
          arrived,
          arrived,
          arrived,
          replied,
          replied,
          replied,
          received,
          0,
          1,
          1);
    }
    return new OpTimes(
        op,
        timing.getWorker(),
        dataId,
        readyNanos,
        at(timing.getPrepStartNs()),
        at(timing.getPrepEndNs()),
        at(timing.getMidpStartNs()),
        at(timing.getMidpEndNs()),
        at(timing.getPostpStartNs()),
        at(timing.getPostpEndNs()),
        received,
        timing.getBatchIndex(),
        timing.getBatchSamples(),
        timing.getBatchItems());
  }

  /**
   * Records the hop in the op's child trace, in time order: the wait here, the send leg, the op's
   * own stages, the receive leg.
   */
  void trace(RequestTracer trace, String op, long readyNanos) {
    trace.opTimestamp(op, TimestampNames.QUEUE_START, readyNanos);
    trace.opTimestamp(op, TimestampNames.CHANNEL_SEND_START, sent);
    trace.opTimestamp(op, TimestampNames.CHANNEL_SEND_END, arrived);
    if (hasStages()) {
      trace.opTimestamp(op, TimestampNames.COMPUTE_START, at(timing.getPrepStartNs()));
      trace.opTimestamp(op, TimestampNames.COMPUTE_INPUT_END, at(timing.getPrepEndNs()));
      trace.opTimestamp(op, TimestampNames.COMPUTE_OUTPUT_START, at(timing.getMidpEndNs()));
      trace.opTimestamp(op, TimestampNames.COMPUTE_END, at(timing.getPostpEndNs()));
    }
    trace.opTimestamp(op, TimestampNames.CHANNEL_RECV_START, at(timing.getReplyNs()));
    trace.opTimestamp(op, TimestampNames.CHANNEL_RECV_END, received);
    trace.opTimestamp(op, TimestampNames.REQUEST_END, received);
  }
}
