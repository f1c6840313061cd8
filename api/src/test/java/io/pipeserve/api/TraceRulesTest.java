package io.pipeserve.api;

import static io.pipeserve.api.Specs.ONE_OP;
import static io.pipeserve.api.Specs.onlyOpProblem;
import static io.pipeserve.api.Specs.onlyProblem;
import static io.pipeserve.api.Specs.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceRulesTest {
  @Test
  void unknownLevel_isAProblemAtItsIndex() {
    Problem problem = onlyProblem("trace: {level: [TIMESTAMPS, TENSOR]}\n" + ONE_OP);

    assertThat(problem.path()).isEqualTo("trace.level[1]");
    assertThat(problem.message())
        .isEqualTo(
            "unknown level 'TENSOR', did you mean 'TENSORS'? (known: OFF, TIMESTAMPS, TENSORS)");
  }

  @Test
  void offWithOtherLevels_isAProblem() {
    assertThat(onlyProblem("trace: {level: [OFF, TIMESTAMPS]}\n" + ONE_OP))
        .hasToString("trace.level: OFF cannot be combined with other levels");
  }

  @Test
  void negativeRate_isAProblem() {
    assertThat(onlyProblem("trace: {rate: -1}\n" + ONE_OP))
        .hasToString("trace.rate: must be >= 0, got -1");
  }

  @Test
  void countMinusOne_meansUnlimitedAndIsValid() {
    assertThat(problems("trace: {count: -1}\n" + ONE_OP)).isEmpty();
  }

  @Test
  void countBelowMinusOne_isAProblem() {
    assertThat(onlyProblem("trace: {count: -2}\n" + ONE_OP))
        .hasToString("trace.count: must be >= -1, got -2");
  }

  @Test
  void unknownMode_isAProblem() {
    Problem problem = onlyProblem("trace: {mode: otel}\n" + ONE_OP);

    assertThat(problem.path()).isEqualTo("trace.mode");
    assertThat(problem.message()).contains("unknown mode 'otel'", "triton, opentelemetry");
  }

  @Test
  void negativeLogFrequency_isAProblem() {
    assertThat(onlyProblem("trace: {logFrequency: -1}\n" + ONE_OP))
        .hasToString("trace.logFrequency: must be >= 0, got -1");
  }

  @Test
  void opentelemetryUrlThatIsNotHttp_isAProblem() {
    assertThat(onlyProblem("trace: {opentelemetry: {url: 'grpc://collector:4317'}}\n" + ONE_OP))
        .hasToString(
            "trace.opentelemetry.url: must be an http(s) URL, got 'grpc://collector:4317'");
  }

  @Test
  void opentelemetryUrlWithoutHost_isAProblem() {
    assertThat(onlyProblem("trace: {opentelemetry: {url: 'collector:4318'}}\n" + ONE_OP).path())
        .isEqualTo("trace.opentelemetry.url");
  }

  @Test
  void resourceWithoutEquals_isAProblem() {
    assertThat(
            onlyProblem(
                "trace: {opentelemetry: {resource: [service.name=ocr, region]}}\n" + ONE_OP))
        .hasToString(
            "trace.opentelemetry.resource[1]: must be key=value with a non-empty key, got 'region'");
  }

  @Test
  void resourceWithEmptyKey_isAProblem() {
    assertThat(onlyProblem("trace: {opentelemetry: {resource: ['=ocr']}}\n" + ONE_OP).path())
        .isEqualTo("trace.opentelemetry.resource[0]");
  }

  @Test
  void bspMaxQueueSizeZero_isAProblem() {
    assertThat(onlyProblem("trace: {opentelemetry: {bspMaxQueueSize: 0}}\n" + ONE_OP))
        .hasToString("trace.opentelemetry.bspMaxQueueSize: must be >= 1, got 0");
  }

  @Test
  void bspMaxExportBatchSizeZero_isAProblem() {
    assertThat(onlyProblem("trace: {opentelemetry: {bspMaxExportBatchSize: 0}}\n" + ONE_OP))
        .hasToString("trace.opentelemetry.bspMaxExportBatchSize: must be >= 1, got 0");
  }

  @Test
  void bspScheduleDelayZero_isValid() {
    assertThat(problems("trace: {opentelemetry: {bspScheduleDelay: 0}}\n" + ONE_OP)).isEmpty();
  }

  @Test
  void negativeBspScheduleDelay_isAProblem() {
    assertThat(onlyProblem("trace: {opentelemetry: {bspScheduleDelay: -1}}\n" + ONE_OP))
        .hasToString("trace.opentelemetry.bspScheduleDelay: must be >= 0, got -1");
  }

  @Test
  void exportBatchLargerThanQueue_isAProblem() {
    assertThat(
            onlyProblem(
                "trace: {opentelemetry: {bspMaxQueueSize: 8, bspMaxExportBatchSize: 16}}\n"
                    + ONE_OP))
        .hasToString("trace.opentelemetry.bspMaxExportBatchSize: must be <= bspMaxQueueSize");
  }

  @Test
  void fileOnAnOp_isAProblem() {
    assertThat(onlyOpProblem("trace: {file: op.json}"))
        .hasToString("ops[0].trace.file: only the global trace.file may be set");
  }

  @Test
  void opTrace_isCheckedWithItsOwnPath() {
    assertThat(onlyOpProblem("trace: {rate: -3}"))
        .hasToString("ops[0].trace.rate: must be >= 0, got -3");
  }

  @Test
  void opTraceLevel_isCheckedWithItsOwnPath() {
    assertThat(onlyOpProblem("trace: {level: [ALL]}").path()).isEqualTo("ops[0].trace.level[0]");
  }
}
