package io.pipeserve.e2e.cluster;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a real cluster must have before the scenarios can run on it: its API server reachable with
 * the kubeconfig's credentials, the Pipeline CRD, and a ready operator. Each is checked once, up
 * front, so that a cluster set up halfway fails in seconds with what to install, instead of every
 * scenario timing out waiting for a Pipeline that nothing serves.
 */
final class Preflight {
  static final String CRD = "pipelines.pipeserve.io";
  static final String CRD_VERSION = "v1alpha1";

  /** The label charts/pipeserve gives the operator's pods (its Deployment's selector). */
  static final String OPERATOR_LABEL = "app.kubernetes.io/name";

  static final String OPERATOR_LABEL_VALUE = "pipeserve-operator";

  private static final String INSTALL =
      "build the images and install the chart as e2e/README.md says (docker build -f"
          + " operator/Dockerfile -t ghcr.io/pipeserve/operator:0.1.0 ., load it into the"
          + " cluster, then helm install pipeserve charts/pipeserve --namespace pipeserve-system"
          + " --create-namespace --wait)";

  private Preflight() {}

  /**
   * @param client a client of the cluster that does not retry: an unreachable cluster fails at once
   * @throws IllegalStateException saying what is missing and how to install it
   */
  static void check(KubernetesClient client, Path kubeconfig) {
    String where =
        "the cluster at " + client.getMasterUrl() + " (E2E_KUBECONFIG=" + kubeconfig + ")";
    CustomResourceDefinition crd;
    List<Pod> operators;
    try {
      crd = client.apiextensions().v1().customResourceDefinitions().withName(CRD).get();
      operators =
          client
              .pods()
              .inAnyNamespace()
              .withLabel(OPERATOR_LABEL, OPERATOR_LABEL_VALUE)
              .list()
              .getItems();
    } catch (KubernetesClientException e) {
      throw new IllegalStateException(unusable(where, e), e);
    }
    checkCrd(crd, where);
    checkOperator(operators, where);
  }

  private static void checkCrd(CustomResourceDefinition crd, String where) {
    if (crd == null) {
      throw new IllegalStateException(
          "The Pipeline CRD ("
              + CRD
              + ") is not installed in "
              + where
              + ": "
              + INSTALL
              + "; the chart installs the CRD with the operator.");
    }
    List<CustomResourceDefinitionVersion> versions = crd.getSpec().getVersions();
    boolean served =
        versions.stream()
            .anyMatch(v -> CRD_VERSION.equals(v.getName()) && Boolean.TRUE.equals(v.getServed()));
    if (!served) {
      throw new IllegalStateException(
          "The Pipeline CRD ("
              + CRD
              + ") in "
              + where
              + " does not serve "
              + CRD_VERSION
              + " (it serves "
              + versions.stream()
                  .filter(v -> Boolean.TRUE.equals(v.getServed()))
                  .map(CustomResourceDefinitionVersion::getName)
                  .toList()
              + "): it is another pipeserve version's; replace it with this one's: kubectl apply"
              + " --server-side -f crds/pipelines.pipeserve.io-v1.yml (helm upgrade leaves CRDs"
              + " as they are).");
    }
  }

  private static void checkOperator(List<Pod> operators, String where) {
    if (operators.isEmpty()) {
      throw new IllegalStateException(
          "No pipeserve operator runs in "
              + where
              + " (no pod labelled "
              + OPERATOR_LABEL
              + "="
              + OPERATOR_LABEL_VALUE
              + "): "
              + INSTALL
              + ".");
    }
    if (operators.stream().noneMatch(Preflight::ready)) {
      throw new IllegalStateException(
          "The pipeserve operator is not ready in "
              + where
              + ": "
              + operators.stream().map(Preflight::describe).collect(Collectors.joining("; "))
              + ". An image that cannot be pulled (ErrImagePull, ImagePullBackOff,"
              + " ErrImageNeverPull) is one not loaded into the cluster (kind load docker-image,"
              + " k3d image import); kubectl describe pod tells more.");
    }
  }

  static boolean ready(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null
        && pod.getStatus() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** {@code ns/name: Phase, container c waiting: Reason (message)}, as far as the status says. */
  private static String describe(Pod pod) {
    StringBuilder text =
        new StringBuilder(pod.getMetadata().getNamespace())
            .append('/')
            .append(pod.getMetadata().getName());
    if (pod.getStatus() == null) {
      return text.append(": no status yet").toString();
    }
    text.append(": ").append(Objects.requireNonNullElse(pod.getStatus().getPhase(), "Unknown"));
    for (ContainerStatus container : pod.getStatus().getContainerStatuses()) {
      var waiting = container.getState() == null ? null : container.getState().getWaiting();
      if (waiting != null && waiting.getReason() != null) {
        text.append(", container ")
            .append(container.getName())
            .append(" waiting: ")
            .append(waiting.getReason());
        if (waiting.getMessage() != null) {
          text.append(" (").append(waiting.getMessage()).append(')');
        }
      }
    }
    return text.toString();
  }

  private static String unusable(String where, KubernetesClientException e) {
    if (e.getCode() == 401 || e.getCode() == 403) {
      return "The API server of "
          + where
          + " refused the kubeconfig's credentials (HTTP "
          + e.getCode()
          + "): the suite reads CRDs and pods across the cluster and creates and deletes"
          + " Pipelines; use a kubeconfig with cluster-admin rights (kind's and k3d's are).";
    }
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return "Cannot reach the API server of "
        + where
        + ": "
        + cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
        + ". Is the cluster running (kind get clusters, k3d cluster list), and is the kubeconfig"
        + " its current one?";
  }
}
