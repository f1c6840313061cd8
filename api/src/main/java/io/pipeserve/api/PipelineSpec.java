package io.pipeserve.api;

import java.util.List;

/**
 * A pipeline: a DAG of ops fed by the request and drained by the response.
 *
 * <p>The ops read the request (an op with no inputs) or other ops' outputs; exactly one op has no
 * consumer, and its output is the response.
 */
public record PipelineSpec(ServerSpec server, DagSpec dag, List<OpSpec> ops, TraceSpec trace) {
  public PipelineSpec {
    server = server == null ? ServerSpec.DEFAULT : server;
    dag = dag == null ? DagSpec.DEFAULT : dag;
    ops = ops == null ? List.of() : List.copyOf(ops);
    trace = trace == null ? TraceSpec.EMPTY : trace;
  }
}
