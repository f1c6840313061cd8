package io.pipeserve.e2e.agent;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What kube-controller-manager's garbage collector does, which the mock API server does not: an
 * object whose owners (its {@code ownerReferences}) are all gone is deleted (background
 * propagation), so deleting a Pipeline removes what the operator made for it, and through them what
 * the node made (pods, endpoint slices).
 */
final class GarbageCollector {
  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

  private final KubernetesClient client;

  GarbageCollector(KubernetesClient client) {
    this.client = client;
  }

  void collect() {
    List<HasMetadata> objects = new ArrayList<>();
    objects.addAll(client.configMaps().inAnyNamespace().list().getItems());
    objects.addAll(client.services().inAnyNamespace().list().getItems());
    objects.addAll(client.apps().deployments().inAnyNamespace().list().getItems());
    objects.addAll(client.discovery().v1().endpointSlices().inAnyNamespace().list().getItems());
    Map<String, Boolean> exists = new HashMap<>();
    for (HasMetadata object : objects) {
      List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
      if (owners == null || owners.isEmpty()) {
        continue;
      }
      String ns = object.getMetadata().getNamespace();
      boolean orphaned =
          owners.stream()
              .noneMatch(o -> exists.computeIfAbsent(ns + "/" + o.getUid(), k -> exists(ns, o)));
      if (orphaned) {
        LOG.info(
            "garbage collector: deleting {} {}/{}, its owners are gone",
            object.getKind(),
            ns,
            object.getMetadata().getName());
        client.resource(object).delete();
      }
    }
  }

  private boolean exists(String namespace, OwnerReference owner) {
    String apiVersion = owner.getApiVersion();
    int slash = apiVersion.indexOf('/');
    ResourceDefinitionContext context =
        new ResourceDefinitionContext.Builder()
            .withGroup(slash < 0 ? "" : apiVersion.substring(0, slash))
            .withVersion(slash < 0 ? apiVersion : apiVersion.substring(slash + 1))
            .withKind(owner.getKind())
            .withPlural(owner.getKind().toLowerCase() + "s")
            .withNamespaced(true)
            .build();
    GenericKubernetesResource found =
        client
            .genericKubernetesResources(context)
            .inNamespace(namespace)
            .withName(owner.getName())
            .get();
    return found != null && Objects.equals(found.getMetadata().getUid(), owner.getUid());
  }
}
