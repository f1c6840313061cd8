package io.pipeserve.operator.resource;

import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The gateway pods: they serve the pipeline's HTTP and gRPC ports and run every op that has no pods
 * of its own.
 *
 * @param replicas gateway pods; 1 when unset
 * @param resources requests and limits of the runtime container ({@code nvidia.com/gpu} for GPU ops
 *     running in the gateway; added when such an op needs it and this leaves it unset)
 * @param nodeSelector node labels the pods require
 * @param tolerations taints the pods tolerate
 * @param affinity node and pod affinity
 */
public record GatewayPlacement(
    @Min(0) Integer replicas,
    ResourceRequirements resources,
    Map<String, String> nodeSelector,
    List<Toleration> tolerations,
    Affinity affinity) {
  public static final GatewayPlacement DEFAULT = new GatewayPlacement(null, null, null, null, null);

  public GatewayPlacement {
    replicas = replicas == null ? 1 : replicas;
    nodeSelector =
        nodeSelector == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(nodeSelector));
    tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
  }
}
