package io.pipeserve.api;

import static io.pipeserve.api.Specs.onlyProblem;
import static io.pipeserve.api.Specs.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GraphRulesTest {
  @Test
  void noOps_isAProblem() {
    assertThat(onlyProblem("ops: []\n")).hasToString("ops: at least one op is required");
  }

  @Test
  void blankOpName_isAProblem() {
    assertThat(onlyProblem("ops: [{name: '', kind: none}]\n"))
        .hasToString("ops[0].name: must not be blank");
  }

  @Test
  void missingOpName_isAProblem() {
    assertThat(onlyProblem("ops: [{kind: none}]\n")).hasToString("ops[0].name: must not be blank");
  }

  @Test
  void opNameWithASpace_isNotUrlSafe() {
    Problem problem = onlyProblem("ops: [{name: 'text det', kind: none}]\n");

    assertThat(problem.path()).isEqualTo("ops[0].name");
    assertThat(problem.message()).contains("'text det' may only use letters, digits");
  }

  @Test
  void duplicateOpName_namesBothIndexes() {
    Problem problem =
        onlyProblem(
            """
            ops:
              - {name: det, kind: none}
              - {name: rec, kind: none, inputs: [det]}
              - {name: det, kind: none, inputs: [rec]}
            """);

    assertThat(problem).hasToString("ops[2].name: duplicate op name 'det', also ops[0]");
  }

  @Test
  void unknownInput_isAProblemAtTheInput() {
    Problem problem =
        onlyProblem(
            """
            ops:
              - {name: det, kind: none}
              - {name: rec, kind: none, inputs: [dett]}
            """);

    assertThat(problem.path()).isEqualTo("ops[1].inputs[0]");
    assertThat(problem.message()).startsWith("unknown op 'dett', did you mean 'det'?");
  }

  @Test
  void opReadingItself_isAProblem() {
    Problem problem =
        onlyProblem(
            """
            ops:
              - {name: det, kind: none}
              - {name: rec, kind: none, inputs: [det, rec]}
            """);

    assertThat(problem).hasToString("ops[1].inputs[1]: an op cannot read its own output");
  }

  @Test
  void duplicateInput_isAProblem() {
    Problem problem =
        onlyProblem(
            """
            ops:
              - {name: det, kind: none}
              - {name: rec, kind: none, inputs: [det, det]}
            """);

    assertThat(problem).hasToString("ops[1].inputs[1]: 'det' is already inputs[0]");
  }

  @Test
  void cycle_isReportedWithItsPath() {
    assertThat(
            problems(
                """
                ops:
                  - {name: src, kind: none}
                  - {name: det, kind: none, inputs: [src, rec]}
                  - {name: rec, kind: none, inputs: [det]}
                  - {name: out, kind: none, inputs: [rec]}
                """))
        .containsExactly(new Problem("ops", "cycle det -> rec -> det"));
  }

  @Test
  void cycleOfEveryOp_leavesNoResponseAndNoRequestReader() {
    assertThat(
            problems(
                """
                ops:
                  - {name: det, kind: none, inputs: [rec]}
                  - {name: rec, kind: none, inputs: [det]}
                """))
        .extracting(Problem::toString)
        .containsExactly(
            "ops: cycle det -> rec -> det",
            "ops: no op is left for the response: every op is read by another op",
            "ops: no op reads the request: at least one op needs empty inputs");
  }

  @Test
  void twoUnreadOps_areBothNamedAsCandidateResponses() {
    Problem problem =
        onlyProblem(
            """
            ops:
              - {name: det, kind: none}
              - {name: rec, kind: none, inputs: [det]}
              - {name: cls, kind: none, inputs: [det]}
            """);

    assertThat(problem.path()).isEqualTo("ops");
    assertThat(problem.message())
        .contains("exactly one op must be the response", "2 are: rec, cls");
  }

  @Test
  void diamond_isValid() {
    assertThat(
            problems(
                """
                ops:
                  - {name: a, kind: none}
                  - {name: b, kind: none, inputs: [a]}
                  - {name: c, kind: none, inputs: [a]}
                  - {name: d, kind: none, inputs: [b, c]}
                """))
        .isEmpty();
  }

  @Test
  void twoRequestReaders_joinedIntoOneResponse_isValid() {
    assertThat(
            problems(
                """
                ops:
                  - {name: a, kind: none}
                  - {name: b, kind: none}
                  - {name: mean, kind: none, inputs: [a, b]}
                """))
        .isEmpty();
  }
}
