package io.pipeserve.runtime.cli;

import io.pipeserve.api.PipelineSpec;
import io.pipeserve.api.Problem;
import io.pipeserve.api.SpecException;
import io.pipeserve.api.SpecLoader;
import io.pipeserve.api.SpecValidator;
import java.io.PrintWriter;
import java.nio.file.Path;
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
    return new SpecCheck(file, spec, SpecValidator.validate(spec, baseDir(file)));
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
