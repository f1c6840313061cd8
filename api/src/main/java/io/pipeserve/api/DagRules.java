package io.pipeserve.api;

/** Rules of {@code dag}. */
final class DagRules {
  private DagRules() {}

  static void check(DagSpec dag, Problems problems) {
    problems.atLeast("dag.channelSize", dag.channelSize(), 1);
    problems.atLeast("dag.requestTimeoutMs", dag.requestTimeoutMs(), 0);
    problems.atLeast("dag.retry", dag.retry(), 0);
    problems.atLeast("dag.tracerIntervalSeconds", dag.tracerIntervalSeconds(), 0);
  }
}
