package io.pipeserve.api;

import static io.pipeserve.api.Specs.ONE_OP;
import static io.pipeserve.api.Specs.onlyProblem;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DagRulesTest {
  @Test
  void channelSizeZero_isAProblem() {
    assertThat(onlyProblem("dag: {channelSize: 0}\n" + ONE_OP))
        .hasToString("dag.channelSize: must be >= 1, got 0");
  }

  @Test
  void negativeRequestTimeout_isAProblem() {
    assertThat(onlyProblem("dag: {requestTimeoutMs: -1}\n" + ONE_OP))
        .hasToString("dag.requestTimeoutMs: must be >= 0, got -1");
  }

  @Test
  void negativeRetry_isAProblem() {
    assertThat(onlyProblem("dag: {retry: -1}\n" + ONE_OP))
        .hasToString("dag.retry: must be >= 0, got -1");
  }

  @Test
  void negativeTracerInterval_isAProblem() {
    assertThat(onlyProblem("dag: {tracerIntervalSeconds: -5}\n" + ONE_OP))
        .hasToString("dag.tracerIntervalSeconds: must be >= 0, got -5");
  }
}
