package io.pipeserve.operator.status;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.pipeserve.operator.model.PodGroup;
import io.pipeserve.operator.resource.PipelineStatus.Replicas;

/**
 * How far the Deployment of one {@link PodGroup} is: every pod on the current template and ready, a
 * rollout under way, or pods that should be ready and are not.
 *
 * @param group the pods
 * @param replicas desired, ready and updated pod counts
 * @param current whether the Deployment controller has seen the Deployment's latest spec
 */
public record Rollout(PodGroup group, Replicas replicas, boolean current) {

  /** {@code deployment} as observed; null when it does not exist yet. */
  public static Rollout of(PodGroup group, Deployment deployment) {
    if (deployment == null) {
      return new Rollout(group, new Replicas(group.replicas(), 0, 0), false);
    }
    DeploymentStatus status = deployment.getStatus();
    Long generation = deployment.getMetadata().getGeneration();
    boolean current =
        status != null
            && status.getObservedGeneration() != null
            && (generation == null || status.getObservedGeneration() >= generation);
    return new Rollout(
        group,
        new Replicas(
            group.replicas(),
            status == null || status.getReadyReplicas() == null ? 0 : status.getReadyReplicas(),
            status == null || status.getUpdatedReplicas() == null
                ? 0
                : status.getUpdatedReplicas()),
        current);
  }

  /** Every desired pod runs the current template and is ready. */
  public boolean done() {
    return current
        && replicas.updated() >= replicas.desired()
        && replicas.ready() >= replicas.desired();
  }

  /** Pods are being replaced or added. */
  public boolean inProgress() {
    return !current || replicas.updated() < replicas.desired();
  }

  /** The rollout is over, yet fewer pods are ready than desired. */
  public boolean underReplicated() {
    return !inProgress() && replicas.ready() < replicas.desired();
  }

  @Override
  public String toString() {
    return (group.isGateway() ? "gateway" : group.op())
        + " "
        + replicas.ready()
        + "/"
        + replicas.desired()
        + " ready"
        + (inProgress() ? " (" + replicas.updated() + " updated)" : "");
  }
}
