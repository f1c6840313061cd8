package io.pipeserve.runtime.executor;

import io.pipeserve.api.OpSpec;
import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.trace.RequestTracer;

/**
 * The executor's side of an op that runs in processes of its own (its spec names {@code
 * endpoints}). The executor starts no workers for such an op: whoever completes a sample in the
 * op's channel hands it to the op's client, which sends it to a replica and answers through the
 * sample's {@link Hop}. The {@code distributed} package implements it over the channel service.
 */
public interface OpClient extends AutoCloseable {

  /**
   * Sends one sample to the op. Never blocks: it runs on the thread that completed the sample (an
   * upstream op's worker, or a gateway's event loop).
   */
  void send(Sample sample, Hop hop);

  @Override
  void close();

  /** Connects the client of each remote op as the executor starts. */
  @FunctionalInterface
  interface Factory {
    /** For executors that run every op themselves. */
    Factory NONE =
        (op, index) -> {
          throw new IllegalStateException(
              "ops["
                  + index
                  + "] ("
                  + op.name()
                  + "): runs elsewhere (endpoints), but this executor has no client for remote"
                  + " ops");
        };

    OpClient connect(OpSpec op, int index);
  }

  /**
   * One sample's trip to a remote op and back: what the client may know of the sample's request,
   * and where it answers. The first answer counts; later ones are ignored, so a client may answer a
   * sample that was resent without checking whether another attempt answered it already.
   */
  interface Hop {
    /** When the sample became ready in the op's channel here (steady clock, ns). */
    long readyNanos();

    /** The request's deadline (steady clock, ns); {@link Long#MAX_VALUE} when it has none. */
    long deadlineNanos();

    /** The request's trace; null when it is not traced. */
    RequestTracer trace();

    /** Whether the request is answered already (its deadline, a failure elsewhere). */
    boolean isAnswered();

    /** Where the sample is now, for the message of a timeout ("in op 'rec' at 10.0.0.7:9100"). */
    void at(String where);

    /** The op's output and its stage times, placed on this process's clock. */
    void answer(Sample output, OpObserver.OpTimes times);

    /** The op failed the sample, or it could not be placed. */
    void fail(PipelineException error);
  }
}
