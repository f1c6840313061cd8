package io.pipeserve.operator.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.pipeserve.api.ServerSpec;
import io.pipeserve.operator.resource.Pipeline;
import io.pipeserve.operator.resource.PipelineResourceSpec;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a valid {@link Pipeline} should own, computed from the resource alone (no I/O): the
 * config, which pods run which ops, and the Kubernetes objects. Each object carries a hash of
 * itself, which is how the operator tells that an object in the cluster is out of date, whatever
 * defaults the API server has added to it.
 *
 * @param config the pipeline file the pods read
 * @param topology which pods run which ops
 * @param configMap the config's ConfigMap
 * @param deployments the gateway's Deployment, then each op's
 * @param services the gateway's Service, then each op's headless Service
 */
public record PipelineModel(
    RuntimeConfig config,
    Topology topology,
    ConfigMap configMap,
    List<Deployment> deployments,
    List<Service> services) {
  private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();

  // Map entries sorted: a hash must not depend on the order a map iterates in, which for
  // Map.copyOf maps changes from one JVM to the next (and would roll pods on an operator restart).
  private static final ObjectMapper CANONICAL =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /** The desired state of {@code pipeline}, whose spec must be valid. */
  public static PipelineModel of(Pipeline pipeline) {
    String name = pipeline.getMetadata().getName();
    String namespace = pipeline.getMetadata().getNamespace();
    PipelineResourceSpec spec = pipeline.getSpec();
    Topology topology = Topology.plan(name, spec);
    RuntimeConfig config = RuntimeConfig.render(name, namespace, spec, topology);
    ServerSpec server = config.spec().server();
    List<Deployment> deployments =
        topology.groups().stream()
            .map(g -> RuntimeDeployments.of(name, namespace, spec, server, g, config.configHash()))
            .map(PipelineModel::hashed)
            .toList();
    List<Service> services =
        topology.groups().stream()
            .map(g -> RuntimeServices.of(name, namespace, server, g))
            .map(PipelineModel::hashed)
            .toList();
    return new PipelineModel(
        config,
        topology,
        hashed(ConfigMapModel.of(name, namespace, config)),
        deployments,
        services);
  }

  /** {@code object} annotated with the hash of its own content. */
  static <T extends HasMetadata> T hashed(T object) {
    String hash;
    try {
      hash =
          RuntimeConfig.sha256(
              CANONICAL.writeValueAsString(KUBERNETES.convertValue(object, Map.class)));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    var annotations = new LinkedHashMap<String, String>();
    if (object.getMetadata().getAnnotations() != null) {
      annotations.putAll(object.getMetadata().getAnnotations());
    }
    annotations.put(Names.DESIRED_HASH_ANNOTATION, hash);
    object.getMetadata().setAnnotations(annotations);
    return object;
  }
}
