package io.pipeserve.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecValidatorTest {
  @TempDir Path dir;

  @Test
  void fullSpec_hasNoProblems() throws IOException {
    Files.createDirectories(dir.resolve("models"));
    Files.writeString(dir.resolve("models/det.onnx"), "det");
    Files.writeString(dir.resolve("models/rec.onnx"), "rec");
    Files.createDirectories(dir.resolve("certs"));
    Files.writeString(dir.resolve("certs/ca.pem"), "ca");

    assertThat(SpecValidator.validate(SpecLoader.fromYaml(ValidSpec.YAML), dir)).isEmpty();
  }

  @Test
  void nullBaseDir_skipsTheModelFileChecks() {
    assertThat(SpecValidator.validate(SpecLoader.fromYaml(ValidSpec.YAML), null)).isEmpty();
  }

  @Test
  void everyProblem_isReportedInSpecOrder() {
    PipelineSpec spec =
        SpecLoader.fromYaml(
            """
            server: {httpPort: -1}
            dag: {channelSize: 0}
            ops:
              - {name: det, kind: none, concurrency: 0}
              - {name: rec, kind: none, inputs: [dett], batch: {size: 8}}
            trace: {rate: -1}
            """);

    assertThat(SpecValidator.validate(spec, dir))
        .extracting(Problem::path)
        .containsExactly(
            "server.httpPort",
            "dag.channelSize",
            "ops[0].concurrency",
            "ops[1].batch.timeoutMs",
            "ops[1].inputs[0]",
            "trace.rate");
  }

  @Test
  void check_throwsEveryProblem() {
    PipelineSpec spec = SpecLoader.fromYaml("dag: {retry: -1}\nops: []\n");

    SpecException e =
        catchThrowableOfType(SpecException.class, () -> SpecValidator.check(spec, dir));

    assertThat(e.problems())
        .extracting(Problem::toString)
        .containsExactly("dag.retry: must be >= 0, got -1", "ops: at least one op is required");
    assertThat(e.getMessage())
        .isEqualTo(
            "invalid pipeline spec:\n"
                + "  dag.retry: must be >= 0, got -1\n"
                + "  ops: at least one op is required");
  }

  @Test
  void check_acceptsAValidSpec() {
    SpecValidator.check(SpecLoader.fromYaml(Specs.ONE_OP), dir);
  }

  @Test
  void problem_printsAsPathColonMessage() {
    assertThat(new Problem("ops[0].kind", "unknown kind 'x'"))
        .hasToString("ops[0].kind: unknown kind 'x'");
  }
}
