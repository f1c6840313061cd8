package io.pipeserve.operator.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.pipeserve.operator.model.PipelineModel;
import io.pipeserve.operator.resource.Pipeline;

/**
 * The desired state of the pipeline being reconciled, computed once per reconciliation and shared
 * by its dependents through the context.
 */
public final class DesiredState {
  private DesiredState() {}

  /** Computes the desired state of {@code pipeline} and keeps it for this reconciliation. */
  public static PipelineModel compute(Pipeline pipeline, Context<Pipeline> context) {
    PipelineModel model = PipelineModel.of(pipeline);
    context.managedWorkflowAndDependentResourceContext().put(key(pipeline), model);
    return model;
  }

  /** The desired state of {@code pipeline} in this reconciliation. */
  static PipelineModel of(Pipeline pipeline, Context<Pipeline> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .get(key(pipeline), PipelineModel.class)
        .orElseGet(() -> compute(pipeline, context));
  }

  // The generation in the key: a context never serves the state of another spec.
  private static String key(Pipeline pipeline) {
    return PipelineModel.class.getName() + "@" + pipeline.getMetadata().getGeneration();
  }
}
