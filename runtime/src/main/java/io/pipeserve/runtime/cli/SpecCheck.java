package io.pipeserve.runtime.cli;

import io.pipeserve.api.BuiltInSteps;
import io.pipeserve.api.OpSpec;
import io.pipeserve.api.PipelineSpec;
import io.pipeserve.api.Problem;
import io.pipeserve.api.SpecException;
import io.pipeserve.api.SpecLoader;
import io.pipeserve.api.SpecValidator;
import io.pipeserve.api.StepSpec;
import io.pipeserve.runtime.step.StepContext;
import io.pipeserve.runtime.step.Steps;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Loads and validates a spec file, and prints its problems as {@code FILE: path: message}. */
final class SpecCheck {
  private final Path file;
  private final PipelineSpec spec;
  private final List<Problem> problems;

  private SpecCheck(Path file, PipelineSpec spec, List<Problem> problems) {
    this.file = file;
    this.spec = spec;
    this.problems = problems;
  }

  static SpecCheck of(Path file) {
    PipelineSpec spec;
    try {
      spec = SpecLoader.load(file);
    } catch (SpecException e) {
      // A file that cannot be read or parsed has no spec to validate; report why.
      return new SpecCheck(file, null, e.problems());
    }
    List<Problem> problems = new ArrayList<>(SpecValidator.validate(spec, baseDir(file)));
    problems.addAll(stepProblems(spec, baseDir(file)));
    return new SpecCheck(file, spec, problems);
  }

  /**
   * Creates every built-in step as the server would, so a mistyped or invalid step parameter is
   * found by {@code validate}, not at start-up. Unknown step names are the api validator's.
   */
  private static List<Problem> stepProblems(PipelineSpec spec, Path baseDir) {
    List<Problem> problems = new ArrayList<>();
    for (int i = 0; i < spec.ops().size(); i++) {
      OpSpec op = spec.ops().get(i);
      check(op.preprocess(), "ops[" + i + "].preprocess", baseDir, problems);
      check(op.postprocess(), "ops[" + i + "].postprocess", baseDir, problems);
    }
    return problems;
  }

  private static void check(
      List<StepSpec> steps, String where, Path baseDir, List<Problem> problems) {
    for (int j = 0; j < steps.size(); j++) {
      StepSpec step = steps.get(j);
      if (!BuiltInSteps.NAMES.contains(step.step())) {
        continue;
      }
      try {
        Steps.create(step, new StepContext(baseDir, where + "[" + j + "]"));
      } catch (IllegalArgumentException e) {
        // Step errors read "path: message".
        String message = e.getMessage();
        int colon = message.indexOf(": ");
        problems.add(
            colon < 0
                ? new Problem(where + "[" + j + "]", message)
                : new Problem(message.substring(0, colon), message.substring(colon + 2)));
      }
    }
  }

  /** The directory model and plugin paths resolve against: the spec file's own. */
  static Path baseDir(Path file) {
    return file.toAbsolutePath().getParent();
  }

  boolean isValid() {
    return problems.isEmpty();
  }

  /** The spec; only when {@link #isValid()}. */
  PipelineSpec spec() {
    return spec;
  }

  /** One line per problem, in the order found. */
  void printProblems(PrintWriter out) {
    for (Problem problem : problems) {
      // A read error's path is the file itself: do not print it twice.
      String where = problem.path().equals(file.toString()) ? "" : problem.path() + ": ";
      out.println(file + ": " + where + problem.message());
    }
    out.flush();
  }
}
