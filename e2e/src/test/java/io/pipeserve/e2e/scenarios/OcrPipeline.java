package io.pipeserve.e2e.scenarios;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.pipeserve.e2e.cluster.Cluster;
import io.pipeserve.e2e.cluster.ClusterExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The OCR example's Pipeline resource (examples/ocr/k8s/pipeline.yaml, as a user applies it) in a
 * namespace of its own, handled as kubectl does: untyped, through the API.
 */
final class OcrPipeline {
  static final ResourceDefinitionContext PIPELINES =
      new ResourceDefinitionContext.Builder()
          .withGroup("pipeserve.io")
          .withVersion("v1alpha1")
          .withKind("Pipeline")
          .withPlural("pipelines")
          .withNamespaced(true)
          .build();
  static final String NAME = "ocr";
  static final int HTTP_PORT = 9999;
  static final int GRPC_PORT = 18091;
  static final int ADMIN_PORT = 8002;
  static final String COMPONENT = "app.kubernetes.io/component";
  static final String INSTANCE = "app.kubernetes.io/instance";
  static final String OP = "pipeserve.io/op";

  private final Cluster cluster;
  private final String namespace;

  OcrPipeline(Cluster cluster, String namespace) {
    this.cluster = cluster;
    this.namespace = namespace;
  }

  String namespace() {
    return namespace;
  }

  /** The manifest as the repository has it. */
  static GenericKubernetesResource manifest(KubernetesClient client) {
    try {
      return client
          .getKubernetesSerialization()
          .unmarshal(
              Files.readString(ClusterExtension.repo().resolve("examples/ocr/k8s/pipeline.yaml")),
              GenericKubernetesResource.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Applies the manifest to the namespace (created first), with {@code edit} made to its spec and
   * the cluster's runtime image, as {@code kubectl apply -n NS -f pipeline.yaml} after editing it.
   */
  GenericKubernetesResource apply(Consumer<Map<String, Object>> edit) {
    KubernetesClient client = cluster.client();
    if (client.namespaces().withName(namespace).get() == null) {
      client
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
    }
    GenericKubernetesResource pipeline = manifest(client);
    pipeline.getMetadata().setNamespace(namespace);
    Map<String, Object> spec = spec(pipeline);
    spec.put("image", cluster.runtimeImage());
    edit.accept(spec);
    return resource().resource(pipeline).create();
  }

  /**
   * Changes the spec as {@code kubectl edit} does, again on a newer version when one came between.
   */
  GenericKubernetesResource edit(Consumer<Map<String, Object>> edit) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .ignoreException(KubernetesClientException.class)
        .until(
            () ->
                pipeline()
                    .edit(
                        p -> {
                          edit.accept(spec(p));
                          return p;
                        }),
            Objects::nonNull);
  }

  void delete() {
    pipeline().delete();
  }

  /**
   * Removes the pipeline and its namespace after a scenario, and waits until its processes have
   * stopped, so that the next scenario has the machine to itself.
   */
  void remove() {
    if (get() != null) {
      delete();
    }
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> cluster.runningProcesses(namespace) == 0);
    cluster.client().namespaces().withName(namespace).delete();
  }

  /** The status' field {@code key} (a mapping or list), as a tree. */
  static Object status(GenericKubernetesResource p, String key) {
    return map(p.getAdditionalProperties().get("status")).get(key);
  }

  GenericKubernetesResource get() {
    return pipeline().get();
  }

  long generation() {
    return get().getMetadata().getGeneration();
  }

  /**
   * Waits until the status has condition {@code type} with {@code status} for the latest
   * generation, and {@code also} holds; returns the resource then.
   */
  GenericKubernetesResource awaitCondition(
      String type, String status, Predicate<Map<String, Object>> also) {
    return await()
        .atMost(cluster.readyTimeout())
        .pollInterval(Duration.ofMillis(250))
        .until(
            this::get,
            p ->
                p != null
                    && observedGeneration(p) >= p.getMetadata().getGeneration()
                    && condition(p, type)
                        .filter(c -> status.equals(c.get("status")) && also.test(c))
                        .isPresent());
  }

  GenericKubernetesResource awaitReady() {
    return awaitCondition("Ready", "True", c -> true);
  }

  /** The pods of the gateway ({@code op} null) or of op {@code op}, by name. */
  List<Pod> pods(String op) {
    return allPods().stream()
        .filter(
            p ->
                op == null
                    ? "gateway".equals(p.getMetadata().getLabels().get(COMPONENT))
                    : op.equals(p.getMetadata().getLabels().get(OP)))
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .toList();
  }

  /**
   * Every pod of the pipeline as a replacement or a restart would change it: its name and uid, its
   * container's restarts and when its process started.
   */
  List<String> podIdentities() {
    return allPods().stream()
        .map(
            p -> {
              var container = p.getStatus().getContainerStatuses().get(0);
              return p.getMetadata().getName()
                  + " uid "
                  + p.getMetadata().getUid()
                  + " restarts "
                  + container.getRestartCount()
                  + " started "
                  + (container.getState().getRunning() == null
                      ? "-"
                      : container.getState().getRunning().getStartedAt());
            })
        .sorted()
        .toList();
  }

  private List<Pod> allPods() {
    return cluster
        .client()
        .pods()
        .inNamespace(namespace)
        .withLabel(INSTANCE, NAME)
        .list()
        .getItems();
  }

  Duration readyTimeout() {
    return cluster.readyTimeout();
  }

  static boolean isReady(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  InetSocketAddress http() {
    return cluster.service(namespace, NAME, HTTP_PORT);
  }

  InetSocketAddress grpc() {
    return cluster.service(namespace, NAME, GRPC_PORT);
  }

  static Optional<Map<String, Object>> condition(GenericKubernetesResource p, String type) {
    Object status = p.getAdditionalProperties().get("status");
    if (!(status instanceof Map<?, ?> s) || !(s.get("conditions") instanceof List<?> conditions)) {
      return Optional.empty();
    }
    return conditions.stream()
        .map(OcrPipeline::map)
        .filter(c -> type.equals(c.get("type")))
        .findFirst();
  }

  static long observedGeneration(GenericKubernetesResource p) {
    Object status = p.getAdditionalProperties().get("status");
    if (status instanceof Map<?, ?> s && s.get("observedGeneration") instanceof Number n) {
      return n.longValue();
    }
    return -1;
  }

  /** The spec, as a mutable tree. */
  static Map<String, Object> spec(GenericKubernetesResource p) {
    return map(p.getAdditionalProperties().get("spec"));
  }

  /** {@code tree}'s mapping under {@code key}, created when absent. */
  static Map<String, Object> child(Map<String, Object> tree, String key) {
    return map(tree.computeIfAbsent(key, k -> new java.util.LinkedHashMap<String, Object>()));
  }

  /** The spec's op {@code name}. */
  static Map<String, Object> op(Map<String, Object> spec, String name) {
    return ((List<?>) spec.get("ops"))
        .stream()
            .map(OcrPipeline::map)
            .filter(o -> name.equals(o.get("name")))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no op " + name + " in the spec"));
  }

  /** Pod replicas: the gateway's and each op's with pods of their own. */
  static Consumer<Map<String, Object>> replicas(int gateway, int rec) {
    return spec -> {
      child(spec, "gateway").put("replicas", gateway);
      child(child(spec, "placement"), "rec").put("replicas", rec);
    };
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  private Resource<GenericKubernetesResource> pipeline() {
    return resource().withName(NAME);
  }

  private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
          GenericKubernetesResource,
          io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      resource() {
    return cluster.client().genericKubernetesResources(PIPELINES).inNamespace(namespace);
  }
}
