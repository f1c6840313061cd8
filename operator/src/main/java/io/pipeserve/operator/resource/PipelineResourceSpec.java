package io.pipeserve.operator.resource;

import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.pipeserve.api.DagSpec;
import io.pipeserve.api.OpSpec;
import io.pipeserve.api.PipelineSpec;
import io.pipeserve.api.ServerSpec;
import io.pipeserve.api.TraceSpec;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The spec of a {@link Pipeline}: the pipeline itself, in the records of {@code api/} that {@code
 * pipeserve serve} and {@code pipeserve validate} read (so the CRD schema is generated from the one
 * schema, and a field added there appears here), and where its pods run.
 *
 * <p>{@code server}, {@code dag}, {@code ops} and {@code trace} are the keys of a pipeline file, so
 * a pipeline.yaml pastes under {@code spec:} unchanged.
 *
 * @param image the runtime image (the {@code pipeserve} entrypoint)
 * @param imagePullPolicy Always, IfNotPresent or Never; Kubernetes' default when unset
 * @param imagePullSecrets secrets for pulling the runtime and model-server images
 * @param gateway the gateway pods: they serve HTTP and gRPC and run every op without pods of its
 *     own
 * @param placement per op name: pods of its own ({@code replicas}), their resources and scheduling,
 *     and a model-server sidecar
 * @param models where the model files come from
 * @param server as in a pipeline file
 * @param dag as in a pipeline file
 * @param ops as in a pipeline file
 * @param trace as in a pipeline file; a change is applied to running pods without a restart
 */
@ValidationRule(
    value =
        "!has(self.imagePullPolicy) || self.imagePullPolicy in ['Always', 'IfNotPresent', 'Never']",
    message = "imagePullPolicy must be Always, IfNotPresent or Never")
public record PipelineResourceSpec(
    @Required @Size(min = 1, max = 512) String image,
    String imagePullPolicy,
    List<LocalObjectReference> imagePullSecrets,
    GatewayPlacement gateway,
    @Size(max = MAX_OPS) Map<String, OpPlacement> placement,
    ModelSource models,
    ServerSpec server,
    DagSpec dag,
    @Required @Size(min = 1, max = MAX_OPS) List<OpSpec> ops,
    TraceSpec trace) {

  /** A bound that keeps the schema's CEL rules within the API server's cost budget. */
  public static final int MAX_OPS = 64;

  public PipelineResourceSpec {
    imagePullSecrets = imagePullSecrets == null ? List.of() : List.copyOf(imagePullSecrets);
    gateway = gateway == null ? GatewayPlacement.DEFAULT : gateway;
    // Sorted, so that what is derived from it comes out in the same order every time.
    placement =
        placement == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(placement));
    models = models == null ? ModelSource.IN_IMAGE : models;
  }

  /** The pipeline as the user wrote it, with the api's defaults. */
  public PipelineSpec pipeline() {
    return new PipelineSpec(server, dag, ops, trace);
  }

  /** The placement of {@code op}; {@link OpPlacement#IN_GATEWAY} when it has none. */
  public OpPlacement placementOf(String op) {
    return placement.getOrDefault(op, OpPlacement.IN_GATEWAY);
  }
}
