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

  Node(Op op, List<String> inputs) {
    this.op = op;
    this.channel = new Channel(inputs);
  }

  String name() {
    return op.name();
  }

  /** The op whose output is the response. */
  boolean isSink() {
    return consumers.isEmpty();
  }
}
