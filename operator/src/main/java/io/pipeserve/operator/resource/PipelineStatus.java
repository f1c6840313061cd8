package io.pipeserve.operator.resource;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * What the operator observed, in the shape kstatus, {@code kubectl wait --for=condition=Ready},
 * Flux and Argo CD read: {@code observedGeneration} and conditions with reasons and messages.
 *
 * @param observedGeneration the generation of the spec these conditions describe
 * @param conditions Ready, Progressing, Degraded and TraceSynced, with kstatus' Reconciling and
 *     Stalled
 * @param endpoints where the pipeline is served
 * @param gateway the gateway pods
 * @param ops each op: where it runs, and its pods when it has its own
 * @param trace the live trace update
 * @param configHash hash of the pipeline config the pods run, without its trace settings
 */
public record PipelineStatus(
    Long observedGeneration,
    List<Condition> conditions,
    Endpoints endpoints,
    Replicas gateway,
    List<OpStatus> ops,
    TraceStatus trace,
    String configHash) {
  public PipelineStatus {
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
    ops = ops == null ? List.of() : List.copyOf(ops);
  }

  /**
   * Where clients reach the pipeline, inside the cluster.
   *
   * @param http Paddle HTTP and OIP v2 REST, {@code http://name.namespace.svc:port}
   * @param grpc Paddle and OIP v2 gRPC, {@code name.namespace.svc:port}
   */
  public record Endpoints(String http, String grpc) {}

  /**
   * Pods of one Deployment.
   *
   * @param desired replicas asked for
   * @param ready replicas ready to serve
   * @param updated replicas running the current pod template
   */
  public record Replicas(Integer desired, Integer ready, Integer updated) {}

  /**
   * One op.
   *
   * @param name the op
   * @param runsIn {@code gateway}, or {@code own-pods}
   * @param replicas its own pods, when it has them
   * @param endpoints the address the gateways reach its pods at, when it has them
   */
  public record OpStatus(String name, String runsIn, Replicas replicas, String endpoints) {
    public static final String GATEWAY = "gateway";
    public static final String OWN_PODS = "own-pods";
  }

  /**
   * The trace settings of the spec, pushed to running pods through the trace protocol.
   *
   * @param generation the spec generation whose trace settings every synced pod runs
   * @param settingsHash hash of those trace settings
   * @param syncedPods pods that run them, by name
   * @param pendingPods ready pods that do not run them yet, by name, with why
   */
  public record TraceStatus(
      Long generation, String settingsHash, List<String> syncedPods, List<String> pendingPods) {
    public TraceStatus {
      syncedPods = syncedPods == null ? List.of() : List.copyOf(syncedPods);
      pendingPods = pendingPods == null ? List.of() : List.copyOf(pendingPods);
    }
  }
}
