package io.pipeserve.runtime.executor;

import io.pipeserve.runtime.channel.Channel;
import io.pipeserve.runtime.op.Op;
import java.util.ArrayList;
import java.util.List;

/** An op in the DAG: its input channel and the ops that consume its output. */
final class Node {
  final Op op;
  final Channel channel;
  final List<Node> consumers = new ArrayList<>();

  /** The producers its channel waits for: upstream op names, or the request. */
  final List<String> inputs;

  // Where a request is, for timeout messages: built once, not for every sample at every stage.
  final String waiting;
  final String preprocessing;
  final String processing;
  final String postprocessing;

  Node(Op op, List<String> inputs) {
    this.op = op;
    this.channel = new Channel(inputs);
    this.inputs = List.copyOf(inputs);
    this.waiting = "waiting in the channel of op '" + op.name() + "'";
    this.preprocessing = "in op '" + op.name() + "' (preprocess)";
    this.processing = "in op '" + op.name() + "' (process)";
    this.postprocessing = "in op '" + op.name() + "' (postprocess)";
  }

  String name() {
    return op.name();
  }

  /** The op whose output is the response. */
  boolean isSink() {
    return consumers.isEmpty();
  }
}
