package io.pipeserve.e2e.agent;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.util.List;

/** A pod's status as the kubelet reports it, from what the node knows of it ({@link PodState}). */
final class PodStatuses {
  static final String HOST_IP = "127.0.0.1";

  private PodStatuses() {}

  /** The status of a pod just scheduled to the node: its address, nothing started yet. */
  static PodStatus scheduled(String podIp, Instant at) {
    return new PodStatusBuilder()
        .withPhase("Pending")
        .withPodIP(podIp)
        .withPodIPs(new PodIPBuilder().withIp(podIp).build())
        .withHostIP(HOST_IP)
        .withStartTime(at.toString())
        .withConditions(condition("PodScheduled", true, at))
        .build();
  }

  static PodStatus of(Pod pod, PodState state) {
    PodStatus scheduled = pod.getStatus();
    String container = pod.getSpec().getContainers().get(0).getName();
    ContainerStatusBuilder status =
        new ContainerStatusBuilder()
            .withName(container)
            .withImage(pod.getSpec().getContainers().get(0).getImage())
            .withReady(state.ready())
            .withStarted(state.started())
            .withRestartCount(state.restarts());
    if (state.running()) {
      status.withNewState().withNewRunning(state.startedAt().toString()).endState();
    } else {
      status
          .withNewState()
          .withNewWaiting()
          .withReason(state.reason())
          .withMessage(state.message())
          .endWaiting()
          .endState();
    }
    if (state.lastExitCode() != null) {
      status
          .withNewLastState()
          .withNewTerminated()
          .withExitCode(state.lastExitCode())
          .withReason("Error")
          .endTerminated()
          .endLastState();
    }
    ContainerStatus containerStatus = status.build();
    List<PodCondition> conditions =
        List.of(
            scheduled.getConditions().get(0),
            condition("Initialized", state.initialized(), null),
            condition("ContainersReady", state.ready(), null),
            condition("Ready", state.ready(), null));
    return new PodStatusBuilder(scheduled)
        .withPhase(state.initialized() ? "Running" : "Pending")
        .withConditions(conditions)
        .withContainerStatuses(containerStatus)
        .withMessage(state.message())
        .withReason(state.running() ? null : state.reason())
        .build();
  }

  private static PodCondition condition(String type, boolean status, Instant at) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status ? "True" : "False")
        .withLastTransitionTime(at == null ? null : at.toString())
        .build();
  }
}
