package io.pipeserve.api;

import static io.pipeserve.api.Specs.ONE_OP;
import static io.pipeserve.api.Specs.onlyProblem;
import static io.pipeserve.api.Specs.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerRulesTest {
  @Test
  void blankName_isAProblem() {
    Problem problem = onlyProblem("server: {name: ' '}\n" + ONE_OP);

    assertThat(problem).hasToString("server.name: must not be blank");
  }

  @Test
  void nameWithASlash_isNotAPathSegment() {
    Problem problem = onlyProblem("server: {name: ocr/v1}\n" + ONE_OP);

    assertThat(problem.path()).isEqualTo("server.name");
    assertThat(problem.message()).contains("'ocr/v1' is not usable as a URL path segment");
  }

  @Test
  void nameOfAServerRoute_isReserved() {
    Problem problem = onlyProblem("server: {name: v2}\n" + ONE_OP);

    assertThat(problem.path()).isEqualTo("server.name");
    assertThat(problem.message()).contains("reserved");
  }

  @Test
  void portAbove65535_isAProblem() {
    Problem problem = onlyProblem("server: {httpPort: 70000}\n" + ONE_OP);

    assertThat(problem.path()).isEqualTo("server.httpPort");
    assertThat(problem.message()).contains("must be in 0..65535", "70000");
  }

  @Test
  void negativeGrpcPort_isAProblem() {
    Problem problem = onlyProblem("server: {grpcPort: -1}\n" + ONE_OP);

    assertThat(problem.path()).isEqualTo("server.grpcPort");
  }

  @Test
  void adminPort_isCheckedWhenSet() {
    Problem problem = onlyProblem("server: {adminPort: 65536}\n" + ONE_OP);

    assertThat(problem.path()).isEqualTo("server.adminPort");
    assertThat(problem.message()).contains("must be in 0..65535");
  }

  @Test
  void portZero_picksAFreePortAndIsValid() {
    assertThat(problems("server: {httpPort: 0, grpcPort: 0, adminPort: 0}\n" + ONE_OP)).isEmpty();
  }

  @Test
  void adminPortEqualToHttpPort_isValid() {
    assertThat(problems("server: {httpPort: 9000, adminPort: 9000}\n" + ONE_OP)).isEmpty();
  }

  @Test
  void grpcPortEqualToHttpPort_isAProblem() {
    Problem problem = onlyProblem("server: {httpPort: 9000, grpcPort: 9000}\n" + ONE_OP);

    assertThat(problem.path()).isEqualTo("server.grpcPort");
    assertThat(problem.message()).contains("also server.httpPort");
  }

  @Test
  void adminPortEqualToGrpcPort_isAProblem() {
    Problem problem = onlyProblem("server: {grpcPort: 9001, adminPort: 9001}\n" + ONE_OP);

    assertThat(problem.path()).isEqualTo("server.adminPort");
    assertThat(problem.message()).contains("also server.grpcPort");
  }

  @Test
  void negativeWorkers_isAProblem() {
    Problem problem = onlyProblem("server: {workers: -1}\n" + ONE_OP);

    assertThat(problem).hasToString("server.workers: must be >= 0, got -1");
  }

  @Test
  void zeroMaxBodyBytes_isAProblem() {
    Problem problem = onlyProblem("server: {maxBodyBytes: 0}\n" + ONE_OP);

    assertThat(problem).hasToString("server.maxBodyBytes: must be >= 1, got 0");
  }
}
