package io.pipeserve.operator.model;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.pipeserve.operator.resource.ModelServer;
import java.util.List;
import java.util.Map;

/**
 * One kind of runtime pod of a pipeline: the gateway, or the pods of one op. Each becomes a
 * Deployment and a Service.
 *
 * @param name the Deployment's and the Service's name
 * @param op the op these pods serve alone; null for the gateway
 * @param replicas pods asked for
 * @param gpus {@code nvidia.com/gpu} of the runtime container; 0 for none
 * @param resources requests and limits of the runtime container, as the user wrote them
 * @param nodeSelector node labels the pods require
 * @param tolerations taints the pods tolerate
 * @param affinity node and pod affinity
 * @param modelServers the model servers of the ops these pods run, by op name
 */
public record PodGroup(
    String name,
    String op,
    int replicas,
    int gpus,
    ResourceRequirements resources,
    Map<String, String> nodeSelector,
    List<Toleration> tolerations,
    Affinity affinity,
    Map<String, ModelServer> modelServers) {

  public boolean isGateway() {
    return op == null;
  }

  /** Whether the pods need GPU nodes: for the runtime, or for a model server. */
  public boolean usesGpus() {
    return gpus > 0 || modelServers.values().stream().anyMatch(m -> gpusOf(m) > 0);
  }

  private static int gpusOf(ModelServer server) {
    try {
      return Gpus.of(server.resources());
    } catch (IllegalArgumentException e) {
      return 0; // Reported by the validation.
    }
  }
}
