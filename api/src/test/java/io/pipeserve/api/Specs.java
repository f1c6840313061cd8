package io.pipeserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/** Test helpers: specs written as YAML, as users write them. */
final class Specs {
  /** The smallest valid spec: one op that reads the request and is the response. */
  static final String ONE_OP = "ops: [{name: only, kind: none}]\n";

  private Specs() {}

  /** The problems of a spec, without the checks that read model files. */
  static List<Problem> problems(String yaml) {
    return SpecValidator.validate(SpecLoader.fromYaml(yaml), null);
  }

  /**
   * The single problem of a spec that has exactly one, so a test also checks nothing else fails.
   */
  static Problem onlyProblem(String yaml) {
    List<Problem> problems = problems(yaml);
    assertThat(problems).as("problems of%n%s", yaml).hasSize(1);
    return problems.get(0);
  }

  /** The single problem of one op, written as the YAML mapping of that op. */
  static Problem onlyOpProblem(String opFields) {
    return onlyProblem("ops:\n  - {name: op, kind: none, " + opFields + "}\n");
  }
}
