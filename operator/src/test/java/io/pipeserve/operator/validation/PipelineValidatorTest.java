package io.pipeserve.operator.validation;

import static io.pipeserve.operator.testing.TestPipelines.TWO_OPS;
import static io.pipeserve.operator.testing.TestPipelines.pipeline;
import static org.assertj.core.api.Assertions.assertThat;

import io.pipeserve.api.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What makes a Pipeline unservable, each problem naming its field from the resource's root. */
class PipelineValidatorTest {

  @Test
  void aValidPipeline_hasNoProblems() {
    assertThat(PipelineValidator.validate(pipeline("p", TWO_OPS))).isEmpty();
  }

  @Test
  void theSpecsOwnRules_applyAsInPipeserveValidate() {
    assertThat(
            paths(
                """
                ops:
                  - name: m
                    kind: onnx
                    batch: {size: 8}
                """))
        .containsExactlyInAnyOrder("spec.ops[0].model", "spec.ops[0].batch.timeoutMs");
  }

  @Test
  void thePlacementOfAnOpTheSpecLacks_isAProblem() {
    assertThat(problems("placement: {recc: {replicas: 2}}\n" + TWO_OPS))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("spec.placement.recc");
              assertThat(p.message()).contains("names no op").contains("pre").contains("post");
            });
  }

  @Test
  void portsPickedAtRandom_cannotBeProbedOrServed() {
    assertThat(paths("server: {httpPort: 0}\n" + TWO_OPS)).containsExactly("spec.server.httpPort");
  }

  @Test
  void anAdminPortSharedWithHttp_cannotBeKeptFromClients() {
    assertThat(paths("server: {httpPort: 8000, adminPort: 8000}\n" + TWO_OPS))
        .containsExactly("spec.server.adminPort");
  }

  @Test
  void aPipelineNameThatIsNoDnsLabel_isAProblem() {
    assertThat(PipelineValidator.validate(pipeline("ocr.v2", TWO_OPS)))
        .extracting(Problem::path)
        .containsExactly("metadata.name");
  }

  @Test
  void opPodsWhoseNamesCollide_areAProblem() {
    assertThat(
            paths(
                """
                placement: {a_b: {replicas: 1}, a-b: {replicas: 1}}
                ops:
                  - {name: a_b, kind: none}
                  - {name: a-b, kind: none, inputs: [a_b]}
                """))
        .containsExactly("spec.placement.a-b");
  }

  @Test
  void deviceIdsBeyondTheGpusOfThePods_areAProblem() {
    assertThat(
            problems(
                """
                placement: {m: {replicas: 1, resources: {limits: {nvidia.com/gpu: 1}}}}
                ops:
                  - {name: m, kind: none, device: {type: cuda, ids: "0,1"}}
                """))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("spec.ops[0].device.ids");
              assertThat(p.message()).contains("names GPU 1").contains("get 1 GPU(s)");
            });
  }

  @Test
  void aFractionOfAGpu_isAProblem() {
    assertThat(paths("gateway: {resources: {limits: {nvidia.com/gpu: 500m}}}\n" + TWO_OPS))
        .containsExactly("spec.gateway.resources");
  }

  @Test
  void aModelServerOnARuntimePort_isAProblem() {
    assertThat(
            problems(
                "placement: {pre: {modelServer: {image: triton, grpcPort: 8001}}}\n" + TWO_OPS))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("port 8001"));
  }

  @Test
  void modelsFromTwoSources_orFromAnythingButHttp_areProblems() {
    assertThat(
            paths(
                """
                models:
                  pvc: {claimName: m}
                  http:
                    - {url: "ftp://host/m.onnx", path: "../m.onnx", sha256: abc}
                """
                    + TWO_OPS))
        .containsExactlyInAnyOrder(
            "spec.models",
            "spec.models.http[0].url",
            "spec.models.http[0].path",
            "spec.models.http[0].sha256");
  }

  @Test
  void endpointsOfAnOpWithReplicas_areTheOperators() {
    assertThat(
            paths(
                """
                placement: {post: {replicas: 2}}
                ops:
                  - {name: pre, kind: none}
                  - {name: post, kind: none, inputs: [pre], endpoints: {dns: "x.svc:9000"}}
                """))
        .containsExactly("spec.ops[1].endpoints");
  }

  @Test
  void theMessage_listsEveryProblemOnALineOfItsOwn() {
    List<Problem> problems = problems("server: {httpPort: 0, grpcPort: 0}\n" + TWO_OPS);
    assertThat(PipelineValidator.message(problems))
        .isEqualTo(
            "invalid pipeline spec:\n"
                + "spec.server.httpPort: must be a fixed port on Kubernetes (probes and Services"
                + " name it), got 0\n"
                + "spec.server.grpcPort: must be a fixed port on Kubernetes (probes and Services"
                + " name it), got 0");
  }

  private static List<Problem> problems(String spec) {
    return PipelineValidator.validate(pipeline("p", spec));
  }

  private static List<String> paths(String spec) {
    return problems(spec).stream().map(Problem::path).toList();
  }
}
