package io.pipeserve.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.pipeserve.operator.model.Names;
import io.pipeserve.operator.model.PipelineModel;
import io.pipeserve.operator.status.Rollout;
import io.pipeserve.operator.trace.TargetPod;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What the cluster shows of a pipeline's pods, as the informers' caches hold it. */
final class Observation {
  private Observation() {}

  /** The rollout of each pod group, the gateway's first. */
  static List<Rollout> rollouts(PipelineModel model, Collection<Deployment> deployments) {
    Map<String, Deployment> byName =
        deployments.stream()
            .collect(Collectors.toMap(d -> d.getMetadata().getName(), Function.identity()));
    return model.topology().groups().stream()
        .map(group -> Rollout.of(group, byName.get(group.name())))
        .toList();
  }

  /**
   * The pods whose trace settings the operator keeps in step: ready gateway pods running the
   * current config. Pods of an older config are on their way out (their replacements start with the
   * current one); op pods serve no trace protocol, the gateways trace the requests.
   */
  static List<TargetPod> tracePods(PipelineModel model, Collection<Pod> pods) {
    int adminPort = model.config().spec().server().effectiveAdminPort();
    return pods.stream()
        .filter(p -> Names.GATEWAY.equals(label(p, Names.LABEL_COMPONENT)))
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(
            p -> model.config().configHash().equals(annotation(p, Names.CONFIG_HASH_ANNOTATION)))
        .filter(Observation::ready)
        .map(p -> new TargetPod(p.getMetadata().getName(), p.getStatus().getPodIP(), adminPort))
        .sorted(java.util.Comparator.comparing(TargetPod::name))
        .toList();
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getPodIP() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static String label(Pod pod, String key) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels == null ? null : labels.get(key);
  }

  private static String annotation(Pod pod, String key) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    return annotations == null ? null : Objects.toString(annotations.get(key), null);
  }
}
