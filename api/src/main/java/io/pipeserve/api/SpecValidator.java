package io.pipeserve.api;

import java.nio.file.Path;
import java.util.List;

/**
 * Checks a pipeline spec and reports every problem at once, each naming its field ({@code
 * ops[2].batch.timeoutMs: must be > 0 when batch.size > 1}), so a user fixes a spec in one pass.
 */
public final class SpecValidator {
  private SpecValidator() {}

  /**
   * Lists every problem of {@code spec}; empty when it is valid.
   *
   * @param baseDir the directory model paths are relative to (the spec file's directory); null
   *     skips the checks that read files, for callers without the model files at hand (the
   *     operator: the models live in the pods' images or volumes)
   */
  public static List<Problem> validate(PipelineSpec spec, Path baseDir) {
    Problems problems = new Problems();
    ServerRules.check(spec.server(), problems);
    DagRules.check(spec.dag(), problems);
    for (int i = 0; i < spec.ops().size(); i++) {
      OpRules.check("ops[" + i + "]", spec.ops().get(i), baseDir, problems);
    }
    GraphRules.check(spec.ops(), problems);
    TraceRules.check("trace", spec.trace(), true, problems);
    return problems.list();
  }

  /**
   * Validates {@code spec}.
   *
   * @throws SpecException listing every problem, when there is one
   */
  public static void check(PipelineSpec spec, Path baseDir) {
    List<Problem> problems = validate(spec, baseDir);
    if (!problems.isEmpty()) {
      throw new SpecException("invalid pipeline spec", problems);
    }
  }
}
