package io.pipeserve.operator.reconciler;

import static io.pipeserve.operator.testing.OperatorHarness.condition;
import static io.pipeserve.operator.testing.TestPipelines.NAMESPACE;
import static io.pipeserve.operator.testing.TestPipelines.pipeline;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pipeserve.operator.resource.Pipeline;
import io.pipeserve.operator.status.Conditions;
import io.pipeserve.operator.testing.OperatorHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operator against fabric8's mock API server: what a Pipeline becomes, and its status. */
@EnableKubernetesMockClient(crud = true, https = false)
class PipelineReconcilerTest {
  static KubernetesClient client;
  static KubernetesMockServer server;
  static OperatorHarness operator;

  static final String WITH_OP_PODS =
      """
      placement: {post: {replicas: 3}}
      ops:
        - {name: pre, kind: none}
        - {name: post, inputs: [pre], kind: none}
      """;

  @BeforeAll
  static void startOperator() {
    operator = OperatorHarness.start(client);
  }

  @AfterAll
  static void stopOperator() {
    operator.close();
  }

  @Test
  void aNewPipeline_getsItsConfigMap_Deployments_andServices_ownedByIt() {
    Pipeline created = operator.create(pipeline("created", WITH_OP_PODS));
    Deployment gateway = operator.awaitDeployment("created");
    Deployment post = operator.awaitDeployment("created-post");
    assertThat(post.getSpec().getReplicas()).isEqualTo(3);
    ConfigMap config = client.configMaps().inNamespace(NAMESPACE).withName("created-config").get();
    Service service = client.services().inNamespace(NAMESPACE).withName("created").get();
    Service headless = client.services().inNamespace(NAMESPACE).withName("created-post").get();
    for (var owned : java.util.List.of(gateway, post, config, service, headless)) {
      assertThat(owned.getMetadata().getOwnerReferences())
          .singleElement()
          .extracting(OwnerReference::getUid, OwnerReference::getKind)
          .containsExactly(created.getMetadata().getUid(), "Pipeline");
    }
    assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
  }

  @Test
  void aPipelineWhosePodsAreNotUp_isProgressing_andNotReady() {
    operator.create(pipeline("starting", WITH_OP_PODS));
    Pipeline p = operator.awaitCondition("starting", Conditions.PROGRESSING, "True", "RollingOut");
    assertThat(p.getStatus().observedGeneration()).isEqualTo(1L);
    assertThat(condition(p, Conditions.READY).orElseThrow().getStatus()).isEqualTo("False");
    assertThat(condition(p, Conditions.RECONCILING).orElseThrow().getStatus()).isEqualTo("True");
  }

  @Test
  void aPipelineWhosePodsAreAllReady_isReady_withItsEndpointsAndReplicas() {
    operator.create(pipeline("up", WITH_OP_PODS));
    operator.rolledOut("up");
    operator.rolledOut("up-post");
    Pipeline p = operator.awaitCondition("up", Conditions.READY, "True", "Ready");
    assertThat(condition(p, Conditions.PROGRESSING).orElseThrow().getStatus()).isEqualTo("False");
    assertThat(condition(p, Conditions.DEGRADED).orElseThrow().getStatus()).isEqualTo("False");
    assertThat(condition(p, Conditions.STALLED).orElseThrow().getStatus()).isEqualTo("False");
    assertThat(p.getStatus().endpoints().http()).isEqualTo("http://up.ml.svc:8000");
    assertThat(p.getStatus().endpoints().grpc()).isEqualTo("up.ml.svc:8001");
    assertThat(p.getStatus().gateway().ready()).isEqualTo(1);
    assertThat(p.getStatus().ops())
        .extracting(o -> o.name() + " " + o.runsIn())
        .containsExactly("pre gateway", "post own-pods");
    assertThat(p.getStatus().ops().get(1).replicas().desired()).isEqualTo(3);
    assertThat(p.getStatus().ops().get(1).replicas().ready()).isEqualTo(3);
  }

  @Test
  void podsThatAreNotReadyAfterTheirRollout_degradeThePipeline() {
    operator.create(pipeline("sick", WITH_OP_PODS));
    operator.rolledOut("sick");
    operator.rolledOut("sick-post");
    operator.awaitCondition("sick", Conditions.READY, "True", "Ready");

    operator.podsNotReady("sick-post", 1);

    Pipeline p = operator.awaitCondition("sick", Conditions.DEGRADED, "True", "PodsNotReady");
    assertThat(condition(p, Conditions.DEGRADED).orElseThrow().getMessage())
        .isEqualTo("pods not ready after their rollout: post 2/3 ready");
    assertThat(condition(p, Conditions.READY).orElseThrow().getReason()).isEqualTo("PodsNotReady");
    assertThat(condition(p, Conditions.PROGRESSING).orElseThrow().getStatus()).isEqualTo("False");
  }

  @Test
  void anInvalidSpec_changesNothing_andTheStatusSaysWhatToFix() {
    operator.create(pipeline("broken", WITH_OP_PODS));
    operator.rolledOut("broken");
    operator.rolledOut("broken-post");
    operator.awaitCondition("broken", Conditions.READY, "True", "Ready");
    String gatewayVersion = operator.deployment("broken").getMetadata().getResourceVersion();
    String postVersion = operator.deployment("broken-post").getMetadata().getResourceVersion();
    String configVersion = configMap("broken-config").getMetadata().getResourceVersion();

    operator.update(
        "broken",
        """
        placement: {post: {replicas: 1}}
        ops:
          - {name: pre, kind: none, batch: {size: 8}}
          - {name: post, inputs: [pre], kind: none}
        """);

    Pipeline p = operator.awaitCondition("broken", Conditions.READY, "False", "InvalidSpec");
    assertThat(condition(p, Conditions.READY).orElseThrow().getMessage())
        .isEqualTo(
            "invalid pipeline spec:\nspec.ops[0].batch.timeoutMs: must be > 0 when batch.size > 1");
    assertThat(condition(p, Conditions.STALLED).orElseThrow().getStatus()).isEqualTo("True");
    assertThat(p.getStatus().observedGeneration()).isEqualTo(p.getMetadata().getGeneration());
    assertThat(operator.deployment("broken").getMetadata().getResourceVersion())
        .isEqualTo(gatewayVersion);
    assertThat(operator.deployment("broken-post").getMetadata().getResourceVersion())
        .isEqualTo(postVersion);
    assertThat(operator.deployment("broken-post").getSpec().getReplicas()).isEqualTo(3);
    assertThat(configMap("broken-config").getMetadata().getResourceVersion())
        .isEqualTo(configVersion);

    operator.update("broken", WITH_OP_PODS.replace("replicas: 3", "replicas: 2"));
    operator.awaitStatus(
        "broken", x -> !condition(x, Conditions.STALLED).orElseThrow().getStatus().equals("True"));
    OperatorHarness.waiting()
        .until(() -> operator.deployment("broken-post").getSpec().getReplicas() == 2);
  }

  @Test
  void anOpThatLosesItsReplicas_losesItsDeploymentAndService() {
    operator.create(pipeline("shrink", WITH_OP_PODS));
    operator.awaitDeployment("shrink-post");

    operator.update("shrink", WITH_OP_PODS.replace("placement: {post: {replicas: 3}}\n", ""));

    OperatorHarness.waiting()
        .until(
            () ->
                operator.deployment("shrink-post") == null
                    && client.services().inNamespace(NAMESPACE).withName("shrink-post").get()
                        == null);
    assertThat(operator.deployment("shrink")).isNotNull();
    Pipeline p =
        operator.awaitStatus(
            "shrink",
            x -> x.getStatus().ops().stream().allMatch(o -> o.runsIn().equals("gateway")));
    assertThat(p.getStatus().ops()).hasSize(2);
  }

  @Test
  void aTraceChange_rewritesTheConfig_butRollsNoPod() {
    operator.create(pipeline("traced", "trace: {file: t.json}\n" + WITH_OP_PODS));
    String template = podTemplateHash(operator.awaitDeployment("traced"));
    String version = operator.deployment("traced").getMetadata().getResourceVersion();
    OperatorHarness.waiting().until(() -> configMap("traced-config") != null);

    operator.update(
        "traced", "trace: {file: t.json, level: [TIMESTAMPS], rate: 5}\n" + WITH_OP_PODS);

    OperatorHarness.waiting()
        .until(() -> configMap("traced-config").getData().get("pipeline.yaml").contains("rate: 5"));
    operator.awaitStatus("traced", x -> x.getStatus().observedGeneration() == 2L);
    assertThat(podTemplateHash(operator.deployment("traced"))).isEqualTo(template);
    assertThat(operator.deployment("traced").getMetadata().getResourceVersion()).isEqualTo(version);
  }

  @Test
  void aModelChange_rollsThePods() {
    operator.create(pipeline("model", WITH_OP_PODS));
    String template = podTemplateHash(operator.awaitDeployment("model-post"));

    operator.update("model", WITH_OP_PODS.replace("kind: none}", "kind: none, concurrency: 4}"));

    OperatorHarness.waiting()
        .until(() -> !podTemplateHash(operator.deployment("model-post")).equals(template));
  }

  @Test
  void anApiServerRefusal_isRetried_andTheStatusExplainsIt() {
    client
        .configMaps()
        .inNamespace(NAMESPACE)
        .resource(
            new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata()
                .withName("taken-config")
                .endMetadata()
                .build())
        .create();

    operator.create(pipeline("taken", WITH_OP_PODS));

    Pipeline p =
        operator.awaitCondition(
            "taken", Conditions.PROGRESSING, "True", StatusRecorderReasons.RECONCILE_ERROR);
    assertThat(condition(p, Conditions.PROGRESSING).orElseThrow().getMessage())
        .contains("cannot apply the spec, retrying")
        .contains("taken-config");
    assertThat(condition(p, Conditions.READY).orElseThrow().getStatus()).isEqualTo("False");

    client.configMaps().inNamespace(NAMESPACE).withName("taken-config").delete();

    OperatorHarness.waiting()
        .until(
            () ->
                configMap("taken-config") != null
                    && configMap("taken-config").getMetadata().getOwnerReferences() != null
                    && operator.deployment("taken-post") != null);
  }

  @Test
  void aConflictOnUpdate_isRetried() {
    operator.create(pipeline("contended", WITH_OP_PODS));
    String template = podTemplateHash(operator.awaitDeployment("contended-post"));
    server
        .expect()
        .put()
        .withPath("/apis/apps/v1/namespaces/ml/deployments/contended-post")
        .andReturn(
            409,
            new io.fabric8.kubernetes.api.model.StatusBuilder()
                .withStatus("Failure")
                .withReason("Conflict")
                .withCode(409)
                .withMessage(
                    "Operation cannot be fulfilled on deployments.apps \"contended-post\": the"
                        + " object has been modified")
                .build())
        .times(2);

    operator.update(
        "contended", WITH_OP_PODS.replace("kind: none}", "kind: none, concurrency: 4}"));

    operator.awaitCondition(
        "contended", Conditions.PROGRESSING, "True", StatusRecorderReasons.RECONCILE_ERROR);
    OperatorHarness.waiting()
        .until(() -> !podTemplateHash(operator.deployment("contended-post")).equals(template));
  }

  private static ConfigMap configMap(String name) {
    return client.configMaps().inNamespace(NAMESPACE).withName(name).get();
  }

  private static String podTemplateHash(Deployment deployment) {
    return deployment
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getAnnotations()
            .get(io.pipeserve.operator.model.Names.CONFIG_HASH_ANNOTATION)
        + "/"
        + deployment
            .getMetadata()
            .getAnnotations()
            .get(io.pipeserve.operator.model.Names.DESIRED_HASH_ANNOTATION);
  }

  private static final class StatusRecorderReasons {
    static final String RECONCILE_ERROR =
        io.pipeserve.operator.status.StatusRecorder.RECONCILE_ERROR;
  }
}
