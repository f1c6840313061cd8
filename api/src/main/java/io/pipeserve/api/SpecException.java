package io.pipeserve.api;

import java.util.List;
import java.util.stream.Collectors;

/** A pipeline spec that cannot be read or is not valid; {@link #problems()} lists every reason. */
public class SpecException extends RuntimeException {
  private final List<Problem> problems;

  /**
   * @param summary what was being done, e.g. "invalid pipeline spec pipeline.yaml"
   * @param problems at least one problem
   */
  public SpecException(String summary, List<Problem> problems) {
    super(render(summary, problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a SpecException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }

  // One problem per line, so that a CLI or a Kubernetes status message shows them all.
  private static String render(String summary, List<Problem> problems) {
    return problems.stream()
        .map(p -> "  " + p)
        .collect(Collectors.joining("\n", summary + ":\n", ""));
  }
}
