package io.pipeserve.api;

import static io.pipeserve.api.Specs.onlyOpProblem;
import static io.pipeserve.api.Specs.onlyProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpRulesTest {
  @TempDir Path dir;

  @Test
  void unknownKind_listsTheKinds() {
    Problem problem = onlyProblem("ops: [{name: op, kind: onx, model: m.onnx}]\n");

    assertThat(problem)
        .hasToString(
            "ops[0].kind: unknown kind 'onx', did you mean 'onnx'? (known: java, none, onnx, remote)");
  }

  @Test
  void onnxWithoutModel_isAProblem() {
    Problem problem = onlyProblem("ops: [{name: op}]\n");

    assertThat(problem.path()).isEqualTo("ops[0].model");
    assertThat(problem.message()).startsWith("required for kind onnx");
  }

  @Test
  void onnxModelFile_isResolvedAgainstBaseDir() throws IOException {
    Files.writeString(dir.resolve("m.onnx"), "model bytes");

    assertThat(validateInDir("ops: [{name: op, model: m.onnx}]\n")).isEmpty();
  }

  @Test
  void missingModelFile_namesTheAbsolutePath() {
    List<Problem> problems = validateInDir("ops: [{name: op, model: models/det.onnx}]\n");

    assertThat(problems)
        .containsExactly(
            new Problem("ops[0].model", "file not found: " + dir.resolve("models/det.onnx")));
  }

  @Test
  void modelThatIsADirectory_isAProblem() throws IOException {
    Files.createDirectory(dir.resolve("det.onnx"));

    List<Problem> problems = validateInDir("ops: [{name: op, model: det.onnx}]\n");

    assertThat(problems)
        .extracting(Problem::toString)
        .singleElement()
        .asString()
        .startsWith("ops[0].model: not a file");
  }

  @Test
  void modelOnANoneOp_isAProblem() {
    assertThat(onlyOpProblem("model: m.onnx"))
        .hasToString("ops[0].model: not used by kind none; only onnx ops load a model");
  }

  @Test
  void modelOnAJavaOp_isAProblem() {
    Problem problem = onlyProblem("ops: [{name: op, kind: java, className: a.B, model: m.onnx}]\n");

    assertThat(problem.path()).isEqualTo("ops[0].model");
    assertThat(problem.message()).startsWith("not used by kind java");
  }

  @Test
  void javaWithoutClassName_isAProblem() {
    Problem problem = onlyProblem("ops: [{name: op, kind: java}]\n");

    assertThat(problem.path()).isEqualTo("ops[0].className");
    assertThat(problem.message()).startsWith("required for kind java");
  }

  @Test
  void classNameThatIsNotAJavaName_isAProblem() {
    Problem problem = onlyProblem("ops: [{name: op, kind: java, className: com.example.My-Op}]\n");

    assertThat(problem.path()).isEqualTo("ops[0].className");
    assertThat(problem.message()).contains("'com.example.My-Op' is not a Java class name");
  }

  @Test
  void classNameOnANoneOp_isAProblem() {
    assertThat(onlyOpProblem("className: a.B").path()).isEqualTo("ops[0].className");
  }

  @Test
  void unknownPreprocessStep_listsTheKnownSteps() {
    Problem problem = onlyOpProblem("preprocess: [{step: image-decode}, {step: resise}]");

    assertThat(problem.path()).isEqualTo("ops[0].preprocess[1].step");
    assertThat(problem.message()).startsWith("unknown step 'resise' (known: argmax, cls-resize");
  }

  @Test
  void misspelledPostprocessStep_suggestsTheNearestStep() {
    Problem problem = onlyOpProblem("postprocess: [{step: ctc-decod}]");

    assertThat(problem.path()).isEqualTo("ops[0].postprocess[0].step");
    assertThat(problem.message()).contains("did you mean 'ctc-decode'?");
  }

  @Test
  void stepWithoutName_isAProblem() {
    assertThat(onlyOpProblem("preprocess: [{params: {a: 1}}]"))
        .hasToString("ops[0].preprocess[0].step: must not be blank");
  }

  @Test
  void blankOutputField_isAProblem() {
    assertThat(onlyOpProblem("outputs: [text, '']"))
        .hasToString("ops[0].outputs[1]: must not be blank");
  }

  @Test
  void concurrencyZero_isAProblem() {
    assertThat(onlyOpProblem("concurrency: 0"))
        .hasToString("ops[0].concurrency: must be >= 1, got 0");
  }

  @Test
  void batchSizeZero_isAProblem() {
    assertThat(onlyOpProblem("batch: {size: 0}"))
        .hasToString("ops[0].batch.size: must be >= 1, got 0");
  }

  @Test
  void negativeBatchTimeout_isAProblem() {
    assertThat(onlyOpProblem("batch: {size: 4, timeoutMs: -1}"))
        .hasToString("ops[0].batch.timeoutMs: must be >= 0, got -1");
  }

  @Test
  void batchingWithoutATimeout_isAProblem() {
    assertThat(onlyOpProblem("batch: {size: 4}"))
        .hasToString("ops[0].batch.timeoutMs: must be > 0 when batch.size > 1");
  }

  @Test
  void negativeTimeout_isAProblem() {
    assertThat(onlyOpProblem("timeoutMs: -1"))
        .hasToString("ops[0].timeoutMs: must be >= 0, got -1");
  }

  @Test
  void negativeRetry_isAProblem() {
    assertThat(onlyOpProblem("retry: -1")).hasToString("ops[0].retry: must be >= 0, got -1");
  }

  private List<Problem> validateInDir(String yaml) {
    return SpecValidator.validate(SpecLoader.fromYaml(yaml), dir);
  }
}
