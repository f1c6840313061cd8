package io.pipeserve.api;

import static io.pipeserve.api.Specs.onlyOpProblem;
import static io.pipeserve.api.Specs.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeviceRulesTest {
  @Test
  void unknownType_listsTheTypes() {
    assertThat(onlyOpProblem("device: {type: gpu}"))
        .hasToString("ops[0].device.type: unknown device type 'gpu' (known: cpu, cuda, tensorrt)");
  }

  @Test
  void unknownPrecision_isAProblem() {
    Problem problem = onlyOpProblem("device: {precision: bf16}");

    assertThat(problem.path()).isEqualTo("ops[0].device.precision");
    assertThat(problem.message()).contains("unknown precision 'bf16'", "fp32, fp16, int8");
  }

  @Test
  void threadsZero_isAProblem() {
    assertThat(onlyOpProblem("device: {threads: 0}"))
        .hasToString("ops[0].device.threads: must be >= 1, got 0");
  }

  @Test
  void nonIntegerId_isAProblem() {
    assertThat(onlyOpProblem("device: {type: cuda, ids: '0,a'}"))
        .hasToString("ops[0].device.ids: 'a' is not a non-negative integer");
  }

  @Test
  void negativeId_isAProblem() {
    assertThat(onlyOpProblem("device: {type: cuda, ids: '-1'}").message())
        .isEqualTo("'-1' is not a non-negative integer");
  }

  @Test
  void duplicateId_isAProblem() {
    assertThat(onlyOpProblem("device: {type: cuda, ids: '0, 1, 0'}"))
        .hasToString("ops[0].device.ids: id 0 is listed twice");
  }

  @Test
  void emptyIdEntry_isAProblem() {
    assertThat(onlyOpProblem("device: {type: cuda, ids: '0,,1'}").message())
        .startsWith("empty entry in '0,,1'");
  }

  @Test
  void cudaWithoutIds_isAProblem() {
    assertThat(onlyOpProblem("device: {type: cuda}"))
        .hasToString("ops[0].device.ids: device.type cuda needs at least one id, e.g. \"0\"");
  }

  @Test
  void tensorrtWithoutIds_isAProblem() {
    assertThat(onlyOpProblem("device: {type: tensorrt}").path()).isEqualTo("ops[0].device.ids");
  }

  @Test
  void cpuWithIds_isAProblem() {
    assertThat(onlyOpProblem("device: {type: cpu, ids: '0'}"))
        .hasToString("ops[0].device.ids: must be empty for device.type cpu, got '0'");
  }

  @Test
  void cudaWithSpacedIds_isValid() {
    assertThat(problems("ops: [{name: op, kind: none, device: {type: cuda, ids: '0, 2'}}]\n"))
        .isEmpty();
  }
}
