package io.pipeserve.operator.resource;

import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where one op runs. With {@code replicas} the op gets pods of its own (a Deployment and a headless
 * Service the gateways reach it through); without, it runs in the gateway pods, and only {@code
 * modelServer} applies.
 *
 * @param replicas pods of the op's own; unset: the op runs in the gateway pods
 * @param resources requests and limits of the op's runtime container, {@code nvidia.com/gpu}
 *     included: an op given GPUs runs its model on them ({@code device.type: cuda})
 * @param nodeSelector node labels the op's pods require
 * @param tolerations taints the op's pods tolerate
 * @param affinity node and pod affinity of the op's pods
 * @param modelServer a model server (Triton, KServe, ...) run next to the op, which its {@code
 *     remote} predictor reaches on localhost
 */
@ValidationRule(
    value =
        "has(self.replicas) || !(has(self.resources) || has(self.nodeSelector)"
            + " || has(self.tolerations) || has(self.affinity))",
    message =
        "resources, nodeSelector, tolerations and affinity need replicas: without, the op runs in"
            + " the gateway pods (set them under spec.gateway)")
public record OpPlacement(
    @Min(0) Integer replicas,
    ResourceRequirements resources,
    Map<String, String> nodeSelector,
    List<Toleration> tolerations,
    Affinity affinity,
    ModelServer modelServer) {
  public static final OpPlacement IN_GATEWAY = new OpPlacement(null, null, null, null, null, null);

  public OpPlacement {
    nodeSelector =
        nodeSelector == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(nodeSelector));
    tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
  }

  /** Whether the op runs in pods of its own rather than in the gateway pods. */
  public boolean dedicated() {
    return replicas != null;
  }
}
