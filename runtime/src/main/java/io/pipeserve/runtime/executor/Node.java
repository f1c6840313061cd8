package io.pipeserve.runtime.executor;

import io.pipeserve.api.OpSpec;
import io.pipeserve.runtime.channel.Channel;
import io.pipeserve.runtime.op.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * An op in the DAG: its input channel, the ops that consume its output, and its turns to run. The
 * op runs here (its {@link #op}, run by workers) or in processes of its own (its {@link #client},
 * which the executor hands each ready sample).
 *
 * <p>An op that runs here runs at most {@code concurrency} samples (or batches) at once. Its worker
 * threads take a turn for each batch; so may the thread of the op before it, for an op cheaper than
 * waking one of its workers (see {@link #tryInlineTurn}).
 */
final class Node {
  /**
   * Below this cost per sample, running an op on the thread that produced its input is cheaper than
   * handing the sample to one of its workers: a hand-off costs a lock, a wake-up and a context
   * switch (tens of µs on a loaded 2-core machine).
   */
  static final long INLINE_MAX_NANOS = 50_000;

  final OpSpec spec;
  final Op op; // null when the op runs elsewhere
  final OpClient client; // null when the op runs here
  final Channel channel;
  final List<Node> consumers = new ArrayList<>();
  final Semaphore turns;

  /** The worker that runs this op on other threads (index 0); set once the workers start. */
  Worker inline;

  private final boolean inlineCandidate;
  // Mean cost of one sample, exponentially weighted; unknown (MAX_VALUE) until one has run.
  private volatile long costNanos = Long.MAX_VALUE;

  /** The producers its channel waits for: upstream op names, or the request. */
  final List<String> inputs;

  // Where a request is, for timeout messages: built once, not for every sample at every stage.
  final String waiting;
  final String preprocessing;
  final String processing;
  final String postprocessing;

  /** An op that runs here. */
  Node(Op op, List<String> inputs) {
    this(op.spec(), op, null, inputs);
  }

  /** An op that runs in processes of its own. */
  Node(OpSpec spec, OpClient client, List<String> inputs) {
    this(spec, null, client, inputs);
  }

  private Node(OpSpec spec, Op op, OpClient client, List<String> inputs) {
    this.spec = spec;
    this.op = op;
    this.client = client;
    this.channel = new Channel(inputs);
    this.inputs = List.copyOf(inputs);
    this.waiting = "waiting in the channel of op '" + spec.name() + "'";
    this.preprocessing = "in op '" + spec.name() + "' (preprocess)";
    this.processing = "in op '" + spec.name() + "' (process)";
    this.postprocessing = "in op '" + spec.name() + "' (postprocess)";
    this.turns = new Semaphore(spec.concurrency());
    // Batching needs the queue, alignment needs the channel, a device op is never cheap, and an op
    // running elsewhere has no worker here.
    this.inlineCandidate =
        op != null
            && spec.batch().size() == 1
            && inputs.size() == 1
            && "cpu".equals(spec.device().type());
  }

  /**
   * Takes a turn for the calling thread to run this op's next sample itself, when the op is cheap
   * and one of its turns is free; the caller must {@code turns.release()} afterwards.
   */
  boolean tryInlineTurn() {
    return inlineCandidate && costNanos < INLINE_MAX_NANOS && turns.tryAcquire();
  }

  /** Records what one sample cost, from preprocess start to postprocess end. */
  void recordCost(long nanos) {
    long mean = costNanos;
    costNanos = mean == Long.MAX_VALUE ? nanos : mean + (nanos - mean) / 8;
  }

  String name() {
    return spec.name();
  }

  boolean isRemote() {
    return client != null;
  }

  /** The op whose output is the response. */
  boolean isSink() {
    return consumers.isEmpty();
  }

  /** Releases the op's model, or the client's connections. */
  void close() {
    if (op != null) {
      op.close();
    } else {
      client.close();
    }
  }
}
