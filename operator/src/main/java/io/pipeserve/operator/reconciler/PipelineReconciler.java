package io.pipeserve.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.pipeserve.api.Problem;
import io.pipeserve.operator.dependent.ConfigMapDependent;
import io.pipeserve.operator.dependent.DeploymentsDependent;
import io.pipeserve.operator.dependent.DesiredState;
import io.pipeserve.operator.dependent.ServicesDependent;
import io.pipeserve.operator.model.Names;
import io.pipeserve.operator.model.PipelineModel;
import io.pipeserve.operator.resource.Pipeline;
import io.pipeserve.operator.resource.PipelineStatus;
import io.pipeserve.operator.status.StatusRecorder;
import io.pipeserve.operator.status.StatusRecorder.TraceOutcome;
import io.pipeserve.operator.trace.TracePlan;
import io.pipeserve.operator.trace.TraceSync;
import io.pipeserve.operator.validation.PipelineValidator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Reconciles a {@link Pipeline}: validate, apply the desired objects, observe, record.
 *
 * <p>The Deployments follow the ConfigMap, so that no pod starts before its config exists. An
 * invalid spec changes nothing (the workflow is invoked only for a valid one), so the pods already
 * running keep serving while the status says what to fix. Failures of the API server (conflicts
 * included) are retried with backoff, without limit, and the status says so.
 */
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(name = "config", type = ConfigMapDependent.class),
      @Dependent(name = "deployments", type = DeploymentsDependent.class, dependsOn = "config"),
      @Dependent(name = "services", type = ServicesDependent.class)
    })
@ControllerConfiguration(
    name = PipelineReconciler.NAME,
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
@GradualRetry(
    maxAttempts = -1,
    initialInterval = 1000,
    intervalMultiplier = 2,
    maxInterval = 300_000)
public class PipelineReconciler implements Reconciler<Pipeline> {
  public static final String NAME = "pipeline";

  private final StatusRecorder status;
  private final TraceSync traceSync;
  private final Duration traceRetry;

  /**
   * @param traceRetry how soon pods whose trace settings are not in step are tried again
   */
  public PipelineReconciler(StatusRecorder status, TraceSync traceSync, Duration traceRetry) {
    this.status = status;
    this.traceSync = traceSync;
    this.traceRetry = traceRetry;
  }

  @Override
  public List<EventSource<?, Pipeline>> prepareEventSources(EventSourceContext<Pipeline> context) {
    // Pods, for the trace settings of the ready ones: a pod turning ready gets them checked.
    var pods =
        InformerEventSourceConfiguration.from(Pod.class, Pipeline.class)
            .withName("pods")
            .withLabelSelector(Names.MANAGED_SELECTOR)
            .withNamespacesInheritedFromController()
            .withSecondaryToPrimaryMapper(PipelineReconciler::pipelineOf)
            .build();
    return List.of(new InformerEventSource<>(pods, context));
  }

  @Override
  public UpdateControl<Pipeline> reconcile(Pipeline pipeline, Context<Pipeline> context) {
    List<Problem> problems = PipelineValidator.validate(pipeline);
    if (!problems.isEmpty()) {
      return record(pipeline, status.invalid(pipeline, problems));
    }
    PipelineModel model = DesiredState.compute(pipeline, context);
    context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    var rollouts = Observation.rollouts(model, context.getSecondaryResources(Deployment.class));
    TraceOutcome trace =
        traceSync.sync(
            TracePlan.of(model.config().spec()),
            Observation.tracePods(model, context.getSecondaryResources(Pod.class)),
            pipeline.getStatus() == null ? null : pipeline.getStatus().trace(),
            pipeline.getMetadata().getGeneration());
    UpdateControl<Pipeline> control =
        record(pipeline, status.observed(pipeline, model, rollouts, trace));
    return trace.synced() ? control : control.rescheduleAfter(traceRetry);
  }

  @Override
  public ErrorStatusUpdateControl<Pipeline> updateErrorStatus(
      Pipeline pipeline, Context<Pipeline> context, Exception e) {
    pipeline.setStatus(status.failed(pipeline, e));
    return ErrorStatusUpdateControl.patchStatus(pipeline);
  }

  /** The Pipeline a pod belongs to: its instance label names it. */
  private static Set<ResourceID> pipelineOf(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    String pipeline = labels == null ? null : labels.get(Names.LABEL_INSTANCE);
    return pipeline == null
        ? Set.of()
        : Set.of(new ResourceID(pipeline, pod.getMetadata().getNamespace()));
  }

  /** Writes {@code next} when it differs from the status recorded. */
  private static UpdateControl<Pipeline> record(Pipeline pipeline, PipelineStatus next) {
    if (Objects.equals(pipeline.getStatus(), next)) {
      return UpdateControl.noUpdate();
    }
    pipeline.setStatus(next);
    return UpdateControl.patchStatus(pipeline);
  }
}
