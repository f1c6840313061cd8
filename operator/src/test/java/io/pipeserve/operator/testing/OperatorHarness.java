package io.pipeserve.operator.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pipeserve.operator.process.OperatorSettings;
import io.pipeserve.operator.process.PipelineOperator;
import io.pipeserve.operator.resource.Pipeline;
import io.pipeserve.operator.status.Conditions;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import org.awaitility.core.ConditionFactory;

/**
 * The operator running against fabric8's mock API server (CRUD mode), as it runs in a cluster: the
 * CRD applied, the reconciler registered, informers watching. What the cluster's own controllers
 * would do (the Deployment controller reporting rollouts, kubelets starting pods) the tests do by
 * hand, through the API.
 */
public final class OperatorHarness implements AutoCloseable {
  private final KubernetesClient client;
  private final PipelineOperator operator;

  private OperatorHarness(KubernetesClient client, PipelineOperator operator) {
    this.client = client;
    this.operator = operator;
  }

  public static OperatorHarness start(KubernetesClient client) {
    client
        .resource(
            client
                .getKubernetesSerialization()
                .unmarshal(
                    Repo.read("crds/pipelines.pipeserve.io-v1.yml"),
                    CustomResourceDefinition.class))
        .create();
    PipelineOperator operator =
        PipelineOperator.create(
            client, OperatorSettings.DEFAULTS.traceRetry(Duration.ofMillis(500)), o -> {});
    operator.start();
    return new OperatorHarness(client, operator);
  }

  public Pipeline create(Pipeline pipeline) {
    return client.resource(pipeline).create();
  }

  public Pipeline get(String name) {
    return client
        .resources(Pipeline.class)
        .inNamespace(TestPipelines.NAMESPACE)
        .withName(name)
        .get();
  }

  /** Replaces the spec of pipeline {@code name} with {@code spec}, as kubectl apply does. */
  public Pipeline update(String name, String spec) {
    Pipeline desired = TestPipelines.pipeline(name, spec);
    // The operator writes the status meanwhile: a write of a stale version is refused (409), and
    // is made again on the latest, as kubectl does.
    return waiting()
        .ignoreException(KubernetesClientException.class)
        .until(
            () ->
                client
                    .resources(Pipeline.class)
                    .inNamespace(TestPipelines.NAMESPACE)
                    .withName(name)
                    .edit(
                        p -> {
                          p.setSpec(desired.getSpec());
                          return p;
                        }),
            p -> true);
  }

  /** Waits until {@code name}'s status satisfies {@code test}; returns it. */
  public Pipeline awaitStatus(String name, Predicate<Pipeline> test) {
    return waiting()
        .until(() -> get(name), p -> p != null && p.getStatus() != null && test.test(p));
  }

  /** Waits until condition {@code type} of {@code name} has {@code status} and {@code reason}. */
  public Pipeline awaitCondition(String name, String type, String status, String reason) {
    return awaitStatus(
        name,
        p ->
            Conditions.find(p.getStatus().conditions(), type)
                .filter(c -> status.equals(c.getStatus()) && reason.equals(c.getReason()))
                .isPresent());
  }

  public static Optional<Condition> condition(Pipeline pipeline, String type) {
    return Conditions.find(pipeline.getStatus().conditions(), type);
  }

  public Deployment deployment(String name) {
    return client.apps().deployments().inNamespace(TestPipelines.NAMESPACE).withName(name).get();
  }

  public Deployment awaitDeployment(String name) {
    return waiting().until(() -> deployment(name), d -> d != null);
  }

  /** Does what the Deployment controller does when every pod of {@code name} is up and ready. */
  public void rolledOut(String name) {
    Deployment deployment = awaitDeployment(name);
    int replicas = deployment.getSpec().getReplicas();
    deployment.setStatus(
        new DeploymentStatusBuilder()
            .withObservedGeneration(deployment.getMetadata().getGeneration())
            .withReplicas(replicas)
            .withUpdatedReplicas(replicas)
            .withReadyReplicas(replicas)
            .withAvailableReplicas(replicas)
            .build());
    client.resource(deployment).updateStatus();
  }

  /** Does what the Deployment controller does when {@code lost} pods of {@code name} fail. */
  public void podsNotReady(String name, int lost) {
    Deployment deployment = deployment(name);
    int ready = deployment.getStatus().getReadyReplicas() - lost;
    deployment.getStatus().setReadyReplicas(ready);
    deployment.getStatus().setAvailableReplicas(ready);
    client.resource(deployment).updateStatus();
  }

  /**
   * Does what a kubelet does for a pod of Deployment {@code deployment}: a pod with the template's
   * labels and annotations, running and ready on {@code ip}.
   */
  public Pod startPod(String deployment, String name, String ip) {
    var template = awaitDeployment(deployment).getSpec().getTemplate();
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(TestPipelines.NAMESPACE)
            .withLabels(template.getMetadata().getLabels())
            .withAnnotations(template.getMetadata().getAnnotations())
            .endMetadata()
            .withSpec(template.getSpec())
            .withNewStatus()
            .withPhase("Running")
            .withPodIP(ip)
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .endCondition()
            .endStatus()
            .build();
    return client.resource(pod).create();
  }

  public static ConditionFactory waiting() {
    return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100));
  }

  @Override
  public void close() {
    operator.close();
  }
}
