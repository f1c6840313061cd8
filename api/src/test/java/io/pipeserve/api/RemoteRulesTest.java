package io.pipeserve.api;

import static io.pipeserve.api.Specs.onlyOpProblem;
import static io.pipeserve.api.Specs.onlyProblem;
import static io.pipeserve.api.Specs.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteRulesTest {
  @TempDir Path dir;

  private static String remoteOp(String remote) {
    return "ops: [{name: op, kind: remote, remote: " + remote + "}]\n";
  }

  @Test
  void remoteOp_withEndpointAndModel_isValid_withTheDefaults() {
    PipelineSpec spec = SpecLoader.fromYaml(remoteOp("{endpoints: [triton:8001], model: m}"));

    assertThat(SpecValidator.validate(spec, null)).isEmpty();
    RemoteSpec remote = spec.ops().get(0).remote();
    assertThat(remote.version()).isEmpty();
    assertThat(remote.tls().enabled()).isFalse();
    assertThat(remote.tls().caFile()).isNull();
    assertThat(remote.connections()).isEqualTo(1);
  }

  @Test
  void remoteOp_withoutRemoteBlock_needsEndpointsAndModel() {
    assertThat(problems("ops: [{name: a, kind: none}, {name: b, inputs: [a], kind: remote}]\n"))
        .extracting(Problem::toString)
        .containsExactly(
            "ops[1].remote.endpoints: required for kind remote: the host:port of a model server's"
                + " gRPC port, e.g. triton:8001",
            "ops[1].remote.model: required for kind remote: the model's name on the remote server");
  }

  @Test
  void endpointWithoutPort_isAProblemShowingTheForm() {
    assertThat(onlyProblem(remoteOp("{endpoints: [triton], model: m}")))
        .hasToString(
            "ops[0].remote.endpoints[0]: 'triton' is not host:port (e.g. triton:8001,"
                + " 10.0.0.7:8001, [::1]:8001)");
  }

  @Test
  void endpointPortOutOfRange_isAProblem() {
    assertThat(onlyProblem(remoteOp("{endpoints: [\"triton:8001\", \"triton:70000\"], model: m}")))
        .hasToString("ops[0].remote.endpoints[1]: 'triton:70000': the port must be in 1..65535");
  }

  @Test
  void endpointListedTwice_isAProblem() {
    assertThat(onlyProblem(remoteOp("{endpoints: [\"a:1\", \"b:1\", \"a:1\"], model: m}")))
        .hasToString("ops[0].remote.endpoints[2]: 'a:1' is listed twice");
  }

  @Test
  void blankModel_isAProblem() {
    assertThat(onlyProblem(remoteOp("{endpoints: [\"a:1\"], model: \" \"}")).path())
        .isEqualTo("ops[0].remote.model");
  }

  @Test
  void zeroConnections_isAProblem() {
    assertThat(onlyProblem(remoteOp("{endpoints: [\"a:1\"], model: m, connections: 0}")))
        .hasToString("ops[0].remote.connections: must be >= 1, got 0");
  }

  @Test
  void caFileWithoutTls_isAProblem() {
    assertThat(onlyProblem(remoteOp("{endpoints: [\"a:1\"], model: m, tls: {caFile: ca.pem}}")))
        .hasToString("ops[0].remote.tls.caFile: only used with tls.enabled: true");
  }

  @Test
  void missingCaFile_namesTheAbsolutePath() {
    PipelineSpec spec =
        SpecLoader.fromYaml(
            remoteOp("{endpoints: [\"a:1\"], model: m, tls: {enabled: true, caFile: ca.pem}}"));

    assertThat(SpecValidator.validate(spec, dir))
        .containsExactly(
            new Problem("ops[0].remote.tls.caFile", "file not found: " + dir.resolve("ca.pem")));
  }

  @Test
  void existingCaFile_isValid() throws IOException {
    Files.writeString(dir.resolve("ca.pem"), "pem");
    PipelineSpec spec =
        SpecLoader.fromYaml(
            remoteOp("{endpoints: [\"a:1\"], model: m, tls: {enabled: true, caFile: ca.pem}}"));

    assertThat(SpecValidator.validate(spec, dir)).isEmpty();
  }

  @Test
  void remoteBlockOnAnotherKind_isAProblem() {
    assertThat(onlyOpProblem("remote: {endpoints: [\"a:1\"], model: m}"))
        .hasToString("ops[0].remote: not used by kind none; only remote ops call a model server");
  }

  @Test
  void modelFileOnARemoteOp_pointsToRemoteModel() {
    assertThat(
            onlyProblem(
                "ops: [{name: op, kind: remote, model: m.onnx,"
                    + " remote: {endpoints: [\"a:1\"], model: m}}]\n"))
        .hasToString(
            "ops[0].model: not used by kind remote; name the remote model in remote.model");
  }

  @Test
  void unknownKeyInRemote_isAReadingError() {
    assertThatThrownBy(() -> SpecLoader.fromYaml(remoteOp("{endpoint: [\"a:1\"], model: m}")))
        .isInstanceOf(SpecException.class)
        .hasMessageContaining("ops[0].remote.endpoint: unknown field");
  }

  @Test
  void endpoint_parsesNamesIpv4AndBracketedIpv6() {
    assertThat(List.of("triton:8001", "10.0.0.7:8001", "[::1]:8001"))
        .map(Endpoint::parse)
        .containsExactly(
            new Endpoint("triton", 8001),
            new Endpoint("10.0.0.7", 8001),
            new Endpoint("::1", 8001));
    assertThat(Endpoint.parse("[::1]:8001")).hasToString("[::1]:8001");
  }
}
