package io.pipeserve.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecLoaderTest {
  @TempDir Path dir;

  @Test
  void yaml_bindsRecordsByComponentNames() {
    PipelineSpec spec =
        SpecLoader.fromYaml(
            """
            server: {name: ocr, httpPort: 9000}
            dag: {channelSize: 8}
            ops:
              - name: det
                model: det.onnx
                preprocess:
                  - step: det-resize
                    params: {limitSideLen: 960}
                batch: {size: 4, timeoutMs: 5}
                device: {type: cuda, ids: "0,1"}
            trace:
              level: [TIMESTAMPS]
              opentelemetry: {url: "http://collector:4318/v1/traces", bspMaxQueueSize: 16}
            """);

    assertThat(spec.server().name()).isEqualTo("ocr");
    assertThat(spec.server().httpPort()).isEqualTo(9000);
    assertThat(spec.dag().channelSize()).isEqualTo(8);
    OpSpec det = spec.ops().get(0);
    assertThat(det.preprocess())
        .containsExactly(new StepSpec("det-resize", Map.of("limitSideLen", 960)));
    assertThat(det.batch()).isEqualTo(new BatchSpec(4, 5L));
    assertThat(det.device().idList()).containsExactly(0, 1);
    assertThat(spec.trace().level()).containsExactly("TIMESTAMPS");
    assertThat(spec.trace().opentelemetry().bspMaxQueueSize()).isEqualTo(16);
  }

  @Test
  void missingFields_takeTheRecordDefaults() {
    PipelineSpec spec = SpecLoader.fromYaml(Specs.ONE_OP);

    assertThat(spec.server()).isEqualTo(ServerSpec.DEFAULT);
    assertThat(spec.dag()).isEqualTo(DagSpec.DEFAULT);
    assertThat(spec.trace()).isEqualTo(TraceSpec.EMPTY);
    assertThat(spec.ops().get(0).batch()).isEqualTo(BatchSpec.DEFAULT);
  }

  @Test
  void numberWhereAStringBelongs_isReadAsItsText() {
    PipelineSpec spec =
        SpecLoader.fromYaml("ops: [{name: 7, kind: none, device: {type: cuda, ids: 0}}]\n");

    assertThat(spec.ops().get(0).name()).isEqualTo("7");
    assertThat(spec.ops().get(0).device().ids()).isEqualTo("0");
  }

  @Test
  void json_isReadFromAJsonFile() throws IOException {
    Path file = dir.resolve("pipeline.json");
    Files.writeString(file, "{\"ops\": [{\"name\": \"only\", \"kind\": \"none\"}]}");

    assertThat(SpecLoader.load(file)).isEqualTo(SpecLoader.fromYaml(Specs.ONE_OP));
  }

  @Test
  void json_isReadFromAString() {
    PipelineSpec spec = SpecLoader.fromJson("{\"dag\": {\"retry\": 2}}");

    assertThat(spec.dag().retry()).isEqualTo(2);
  }

  @Test
  void unknownField_isAProblemAtItsPathAndLine() {
    SpecException e =
        loadFailure(
            """
            ops:
              - name: det
                kind: none
              - name: rec
                kind: none
                batch:
                  sizee: 8
            """);

    assertThat(e.problems()).hasSize(1);
    Problem problem = e.problems().get(0);
    assertThat(problem.path()).isEqualTo("ops[1].batch.sizee");
    assertThat(problem.message()).startsWith("unknown field").contains("line 7", "size, timeoutMs");
  }

  @Test
  void unknownTopLevelField_namesIt() {
    Problem problem = loadFailure("opps: []\n").problems().get(0);

    assertThat(problem.path()).isEqualTo("opps");
    assertThat(problem.message()).contains("unknown field", "line 1");
  }

  @Test
  void wrongType_quotesTheValueGiven() {
    Problem problem = loadFailure("dag:\n  channelSize: abc\n").problems().get(0);

    assertThat(problem).hasToString("dag.channelSize: expected an integer, got 'abc' (line 2)");
  }

  @Test
  void fraction_isNotAcceptedForAnInteger() {
    Problem problem = loadFailure("ops: [{name: a, batch: {size: 1.5}}]\n").problems().get(0);

    assertThat(problem.path()).isEqualTo("ops[0].batch.size");
    assertThat(problem.message()).contains("expected an integer, got 1.5");
  }

  @Test
  void emptyString_isNotAcceptedForANumber() {
    Problem problem = loadFailure("server: {httpPort: ''}\n").problems().get(0);

    assertThat(problem.path()).isEqualTo("server.httpPort");
    assertThat(problem.message()).contains("expected an integer, got ''");
  }

  @Test
  void listWhereAStringBelongs_isAProblem() {
    Problem problem = loadFailure("ops: [{name: [a, b]}]\n").problems().get(0);

    assertThat(problem.path()).isEqualTo("ops[0].name");
    assertThat(problem.message()).contains("expected a string, got a list");
  }

  @Test
  void mappingWhereAListBelongs_isAProblem() {
    Problem problem = loadFailure("ops: {name: a}\n").problems().get(0);

    assertThat(problem.path()).isEqualTo("ops");
    assertThat(problem.message()).contains("expected a list, got a mapping");
  }

  @Test
  void nullListEntry_isAProblemAtTheEntry() {
    Problem problem = loadFailure("ops: [{name: a, inputs: [b, ~]}]\n").problems().get(0);

    assertThat(problem.path()).isEqualTo("ops[0].inputs[1]");
    assertThat(problem.message()).contains("must not be null");
  }

  @Test
  void nullParamValue_isAProblemAtTheParam() {
    Problem problem = loadFailure("ops: [{name: a, params: {k: ~}}]\n").problems().get(0);

    assertThat(problem.path()).isEqualTo("ops[0].params.k");
    assertThat(problem.message()).contains("must not be null");
  }

  @Test
  void duplicateKey_isAProblem() {
    Problem problem = loadFailure("dag:\n  retry: 1\n  retry: 2\n").problems().get(0);

    assertThat(problem.path()).isEqualTo("dag.retry");
    assertThat(problem.message()).contains("Duplicate field 'retry'", "line 3");
  }

  @Test
  void yamlSyntaxError_isAProblemWithItsLine() {
    Problem problem = loadFailure("dag:\n  retry: [1\nops: []\n").problems().get(0);

    assertThat(problem.message())
        .startsWith("cannot parse: expected ',' or ']'")
        .contains("while parsing a flow sequence")
        .endsWith("(line 3)");
  }

  @Test
  void emptyDocument_isAProblem() {
    assertThat(loadFailure("# nothing here\n").problems())
        .containsExactly(new Problem("spec", "the document is empty"));
  }

  @Test
  void documentThatIsNotAMapping_isAProblem() {
    assertThat(loadFailure("- a\n- b\n").problems())
        .containsExactly(new Problem("spec", "expected a mapping, got a list"));
  }

  @Test
  void missingFile_isAProblemNamingTheFile() {
    Path file = dir.resolve("absent.yaml");

    SpecException e = catchThrowableOfType(SpecException.class, () -> SpecLoader.load(file));

    assertThat(e.problems().get(0).path()).isEqualTo(file.toString());
    assertThat(e.problems().get(0).message()).contains("cannot read the file");
  }

  @Test
  void toYaml_roundTripsAFullSpec() {
    PipelineSpec spec = SpecLoader.fromYaml(ValidSpec.YAML);

    assertThat(SpecLoader.fromYaml(SpecLoader.toYaml(spec))).isEqualTo(spec);
  }

  @Test
  void toYaml_keepsStringsThatLookLikeOtherScalars() {
    Map<String, Object> params =
        Map.of("a", "true", "b", "123", "c", "null", "d", "~", "e", "1.5", "f", "", "g", "no");
    OpSpec op =
        new OpSpec(
            "a",
            null,
            "java",
            null,
            "com.example.Op",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            params,
            null,
            null);
    PipelineSpec spec = new PipelineSpec(null, null, List.of(op), null);

    assertThat(SpecLoader.fromYaml(SpecLoader.toYaml(spec))).isEqualTo(spec);
  }

  @Test
  void toYaml_omitsNulls() {
    String yaml = SpecLoader.toYaml(SpecLoader.fromYaml(Specs.ONE_OP));

    assertThat(yaml).doesNotContain("null", "adminPort", "model", "level");
  }

  @Test
  void toYaml_isTheSameForEqualSpecs() {
    String reordered = "ops: [{name: only, kind: none, params: {z: 1, a: 2, m: {y: 1, b: 2}}}]\n";
    String ordered = "ops: [{name: only, kind: none, params: {a: 2, m: {b: 2, y: 1}, z: 1}}]\n";

    assertThat(SpecLoader.toYaml(SpecLoader.fromYaml(reordered)))
        .isEqualTo(SpecLoader.toYaml(SpecLoader.fromYaml(ordered)));
  }

  @Test
  void loadValid_resolvesModelsAgainstTheSpecFilesDirectory() throws IOException {
    Files.createDirectories(dir.resolve("models"));
    Files.writeString(dir.resolve("models/m.onnx"), "not read here");
    Path file = dir.resolve("pipeline.yaml");
    Files.writeString(file, "ops: [{name: m, model: models/m.onnx}]\n");

    assertThat(SpecLoader.loadValid(file).ops().get(0).model()).isEqualTo("models/m.onnx");
  }

  @Test
  void loadValid_throwsEveryProblem() throws IOException {
    Path file = dir.resolve("pipeline.yaml");
    Files.writeString(file, "dag: {channelSize: 0}\nops: [{name: m, model: absent.onnx}]\n");

    SpecException e = catchThrowableOfType(SpecException.class, () -> SpecLoader.loadValid(file));

    assertThat(e.problems())
        .extracting(Problem::path)
        .containsExactly("dag.channelSize", "ops[0].model");
    assertThat(e.getMessage())
        .contains(
            "  dag.channelSize: must be >= 1", "file not found: " + dir.resolve("absent.onnx"));
  }

  private static SpecException loadFailure(String yaml) {
    return catchThrowableOfType(SpecException.class, () -> SpecLoader.fromYaml(yaml));
  }
}
