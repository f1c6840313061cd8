package io.pipeserve.operator.validation;

import io.pipeserve.api.Problem;
import io.pipeserve.api.SpecValidator;
import io.pipeserve.operator.model.RuntimeConfig;
import io.pipeserve.operator.model.Topology;
import io.pipeserve.operator.resource.Pipeline;
import io.pipeserve.operator.resource.PipelineResourceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Decides whether a {@link Pipeline} can be served: the checks of {@code pipeserve validate} on the
 * config the pods would read (the same rules, from {@code api/}), and the rules only a cluster has
 * ({@link KubernetesRules}). Model files are not checked: they live in the pods' image or volumes.
 *
 * <p>Problems name their field from the resource's root ({@code spec.ops[2].batch.timeoutMs}), as
 * {@code kubectl explain} does.
 */
public final class PipelineValidator {
  private PipelineValidator() {}

  /** Every problem of {@code pipeline}; empty when it can be served. */
  public static List<Problem> validate(Pipeline pipeline) {
    PipelineResourceSpec spec = pipeline.getSpec();
    if (spec == null) {
      return List.of(new Problem("spec", "is missing"));
    }
    if (spec.ops() == null || spec.ops().isEmpty()) {
      return List.of(new Problem("spec.ops", "must list at least one op"));
    }
    List<Problem> problems = new ArrayList<>(KubernetesRules.check(pipeline));
    if (!problems.isEmpty()) {
      // The config cannot be rendered faithfully from a placement that does not fit the spec.
      problems.addAll(specProblems(SpecValidator.validate(spec.pipeline(), null)));
      return List.copyOf(problems);
    }
    String name = pipeline.getMetadata().getName();
    RuntimeConfig config =
        RuntimeConfig.render(
            name, pipeline.getMetadata().getNamespace(), spec, Topology.plan(name, spec));
    return specProblems(SpecValidator.validate(config.spec(), null));
  }

  /** The problems as one message, one per line, for a status condition or an event. */
  public static String message(List<Problem> problems) {
    return problems.stream()
        .map(Problem::toString)
        .collect(Collectors.joining("\n", "invalid pipeline spec:\n", ""));
  }

  private static List<Problem> specProblems(List<Problem> problems) {
    return problems.stream().map(p -> new Problem("spec." + p.path(), p.message())).toList();
  }
}
