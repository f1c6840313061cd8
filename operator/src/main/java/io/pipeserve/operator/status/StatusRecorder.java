package io.pipeserve.operator.status;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pipeserve.api.OpSpec;
import io.pipeserve.api.Problem;
import io.pipeserve.operator.model.PipelineModel;
import io.pipeserve.operator.model.PodGroup;
import io.pipeserve.operator.resource.Pipeline;
import io.pipeserve.operator.resource.PipelineStatus;
import io.pipeserve.operator.resource.PipelineStatus.Endpoints;
import io.pipeserve.operator.resource.PipelineStatus.OpStatus;
import io.pipeserve.operator.resource.PipelineStatus.TraceStatus;
import io.pipeserve.operator.validation.PipelineValidator;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes what the operator observed into a Pipeline's status, in one place: a spec it cannot serve,
 * the rollout of its pods and the sync of their trace settings, or a failure to reach the API
 * server.
 */
public final class StatusRecorder {
  public static final String INVALID_SPEC = "InvalidSpec";
  public static final String RECONCILE_ERROR = "ReconcileError";

  private final Clock clock;

  public StatusRecorder(Clock clock) {
    this.clock = clock;
  }

  /**
   * A spec that cannot be served: not Ready, and nothing was changed, so whatever runs keeps
   * serving (the rest of the status still describes it).
   */
  public PipelineStatus invalid(Pipeline pipeline, List<Problem> problems) {
    PipelineStatus before = previous(pipeline);
    String message = PipelineValidator.message(problems);
    Conditions conditions =
        conditions(pipeline)
            .set(Conditions.READY, false, INVALID_SPEC, message)
            .set(
                Conditions.PROGRESSING,
                false,
                INVALID_SPEC,
                "nothing is changed until the spec is fixed; running pods keep serving")
            .set(Conditions.RECONCILING, false, INVALID_SPEC, "waiting for a valid spec")
            .set(Conditions.STALLED, true, INVALID_SPEC, message)
            .keep(Conditions.DEGRADED)
            .keep(Conditions.TRACE_SYNCED);
    return new PipelineStatus(
        generation(pipeline),
        conditions.list(),
        before.endpoints(),
        before.gateway(),
        before.ops(),
        before.trace(),
        before.configHash());
  }

  /** The pods as observed, after the desired objects were applied. */
  public PipelineStatus observed(
      Pipeline pipeline, PipelineModel model, List<Rollout> rollouts, TraceOutcome trace) {
    Rollout gateway = rollouts.get(0);
    boolean ready = rollouts.stream().allMatch(Rollout::done) && gateway.replicas().desired() > 0;
    boolean progressing = rollouts.stream().anyMatch(Rollout::inProgress);
    List<Rollout> shortOfPods = rollouts.stream().filter(Rollout::underReplicated).toList();
    String summary = rollouts.stream().map(Rollout::toString).collect(Collectors.joining(", "));
    Conditions conditions = conditions(pipeline);
    if (ready) {
      conditions.set(Conditions.READY, true, "Ready", "serving: " + summary);
    } else if (gateway.replicas().desired() == 0) {
      conditions.set(
          Conditions.READY, false, "ScaledToZero", "spec.gateway.replicas is 0: nothing serves");
    } else {
      conditions.set(
          Conditions.READY,
          false,
          progressing ? "RollingOut" : "PodsNotReady",
          "not every pod is ready: " + summary);
    }
    conditions
        .set(
            Conditions.PROGRESSING,
            progressing,
            progressing ? "RollingOut" : "RolledOut",
            progressing ? "rolling out: " + summary : "every pod runs the current spec")
        .set(
            Conditions.RECONCILING,
            progressing,
            progressing ? "RollingOut" : "RolledOut",
            progressing ? "rolling out: " + summary : "every pod runs the current spec")
        .set(
            Conditions.DEGRADED,
            !shortOfPods.isEmpty(),
            shortOfPods.isEmpty() ? "AllPodsReady" : "PodsNotReady",
            shortOfPods.isEmpty()
                ? "every pod is ready"
                : "pods not ready after their rollout: "
                    + shortOfPods.stream().map(Rollout::toString).collect(Collectors.joining(", ")))
        .set(Conditions.STALLED, false, "Reconciled", "the spec is applied")
        .set(Conditions.TRACE_SYNCED, trace.synced(), trace.reason(), trace.message());
    return new PipelineStatus(
        generation(pipeline),
        conditions.list(),
        endpoints(pipeline, model),
        gateway.replicas(),
        ops(pipeline, model, rollouts),
        trace.status(),
        model.config().configHash());
  }

  /**
   * The API server refused a change or could not be reached. The spec's generation is not marked
   * observed, since it is not applied; the operator retries with backoff.
   */
  public PipelineStatus failed(Pipeline pipeline, Exception error) {
    PipelineStatus before = previous(pipeline);
    String message = "cannot apply the spec, retrying: " + describe(error);
    Conditions conditions =
        conditions(pipeline)
            .set(Conditions.PROGRESSING, true, RECONCILE_ERROR, message)
            .set(Conditions.RECONCILING, true, RECONCILE_ERROR, message)
            .keep(Conditions.DEGRADED)
            .keep(Conditions.TRACE_SYNCED)
            .keep(Conditions.STALLED);
    boolean applied =
        before.observedGeneration() != null
            && before.observedGeneration().equals(pipeline.getMetadata().getGeneration());
    if (applied) {
      conditions.keep(Conditions.READY);
    } else {
      conditions.set(Conditions.READY, false, RECONCILE_ERROR, message);
    }
    return new PipelineStatus(
        before.observedGeneration(),
        conditions.list(),
        before.endpoints(),
        before.gateway(),
        before.ops(),
        before.trace(),
        before.configHash());
  }

  /** What went wrong, in a user's terms: a conflict is routine, a refusal names its cause. */
  static String describe(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && !(cause instanceof KubernetesClientException)) {
      cause = cause.getCause();
    }
    if (cause instanceof KubernetesClientException k) {
      if (k.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return "an object was changed by someone else meanwhile (409 Conflict)";
      }
      String reason = k.getStatus() != null ? k.getStatus().getMessage() : k.getMessage();
      return (k.getCode() > 0 ? "HTTP " + k.getCode() + ": " : "") + reason;
    }
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }

  private static Endpoints endpoints(Pipeline pipeline, PipelineModel model) {
    var server = model.config().spec().server();
    String host =
        model.topology().gateway().name() + "." + pipeline.getMetadata().getNamespace() + ".svc";
    return new Endpoints(
        "http://" + host + ":" + server.httpPort(), host + ":" + server.grpcPort());
  }

  private static List<OpStatus> ops(
      Pipeline pipeline, PipelineModel model, List<Rollout> rollouts) {
    Map<String, Rollout> byOp =
        rollouts.stream()
            .filter(r -> !r.group().isGateway())
            .collect(Collectors.toMap(r -> r.group().op(), r -> r));
    List<OpStatus> ops = new ArrayList<>();
    for (OpSpec op : model.config().spec().ops()) {
      Rollout own = byOp.get(op.name());
      if (own == null) {
        ops.add(new OpStatus(op.name(), OpStatus.GATEWAY, null, null));
      } else {
        PodGroup group = own.group();
        ops.add(
            new OpStatus(
                op.name(),
                OpStatus.OWN_PODS,
                own.replicas(),
                group.name()
                    + "."
                    + pipeline.getMetadata().getNamespace()
                    + ".svc:"
                    + model.config().spec().server().grpcPort()));
      }
    }
    return ops;
  }

  private Conditions conditions(Pipeline pipeline) {
    return new Conditions(clock, generation(pipeline), previous(pipeline).conditions());
  }

  private static long generation(Pipeline pipeline) {
    Long generation = pipeline.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }

  private static PipelineStatus previous(Pipeline pipeline) {
    return pipeline.getStatus() != null
        ? pipeline.getStatus()
        : new PipelineStatus(null, null, null, null, null, (TraceStatus) null, null);
  }

  /**
   * The live trace update's outcome, for the TraceSynced condition.
   *
   * @param status what the status records
   * @param synced whether every ready pod runs the spec's trace settings
   * @param reason the condition's reason
   * @param message the condition's message
   */
  public record TraceOutcome(TraceStatus status, boolean synced, String reason, String message) {}
}
