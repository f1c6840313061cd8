package io.pipeserve.runtime.executor;

import io.pipeserve.api.OpSpec;
import io.pipeserve.runtime.channel.Channel;
import io.pipeserve.runtime.op.Op;
import java.util.ArrayList;
import java.util.List;

/**
 * An op in the DAG: its input channel and the ops that consume its output. The op runs here (its
 * {@link #op}, run by workers) or in processes of its own (its {@link #client}, which the executor
 * hands each ready sample).
 */
final class Node {
  final OpSpec spec;
  final Op op; // null when the op runs elsewhere
  final OpClient client; // null when the op runs here
  final Channel channel;
  final List<Node> consumers = new ArrayList<>();

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
    this.waiting = "waiting in the channel of op '" + spec.name() + "'";
    this.preprocessing = "in op '" + spec.name() + "' (preprocess)";
    this.processing = "in op '" + spec.name() + "' (process)";
    this.postprocessing = "in op '" + spec.name() + "' (postprocess)";
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
