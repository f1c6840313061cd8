package io.pipeserve.operator.process;

import static io.pipeserve.operator.testing.TestPipelines.NAMESPACE;
import static io.pipeserve.operator.testing.TestPipelines.pipeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pipeserve.operator.testing.OperatorHarness;
import io.pipeserve.operator.testing.Repo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The operator as a process: leader election, probes, metrics, watched namespaces. */
@EnableKubernetesMockClient(crud = true, https = false)
class OperatorProcessTest {
  static KubernetesClient client;
  static KubernetesMockServer server;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theLeader_holdsTheLease_reconciles_andServesProbesAndMetrics() throws Exception {
    client
        .resource(
            client
                .getKubernetesSerialization()
                .unmarshal(
                    Repo.read("crds/pipelines.pipeserve.io-v1.yml"),
                    CustomResourceDefinition.class))
        .create();
    // java-operator-sdk checks that it may use Leases before it competes for one; the mock
    // server has no authorization, so it answers what a cluster with the chart's RBAC would.
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(
            201,
            new SelfSubjectRulesReviewBuilder()
                .withNewStatus()
                .addNewResourceRule()
                .withApiGroups("coordination.k8s.io")
                .withResources("leases")
                .withVerbs("get", "create", "update")
                .endResourceRule()
                .withIncomplete(false)
                .endStatus()
                .build())
        .always();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (PipelineOperator operator =
            PipelineOperator.create(
                client,
                OperatorSettings.DEFAULTS.watching(Set.of(NAMESPACE)),
                o ->
                    o.withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
                        .withLeaderElectionConfiguration(lease("me")));
        OperatorEndpoints endpoints = OperatorEndpoints.start(0, operator.operator(), registry)) {
      assertThat(get(endpoints, "/readyz").statusCode()).isEqualTo(503);
      assertThat(get(endpoints, "/healthz").statusCode()).isEqualTo(200);

      operator.start();

      OperatorHarness.waiting()
          .until(
              () ->
                  client
                      .resources(Lease.class)
                      .inNamespace("operators")
                      .withName("pipeserve-operator")
                      .get(),
              lease -> lease != null && "me".equals(lease.getSpec().getHolderIdentity()));
      client
          .resource(pipeline("watched", io.pipeserve.operator.testing.TestPipelines.TWO_OPS))
          .create();
      OperatorHarness.waiting()
          .until(
              () ->
                  client.apps().deployments().inNamespace(NAMESPACE).withName("watched").get()
                      != null);
      OperatorHarness.waiting().until(() -> get(endpoints, "/readyz").statusCode() == 200);
      HttpResponse<String> metrics = get(endpoints, "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("operator_sdk_reconciliations_");

      try (PipelineOperator standby =
              PipelineOperator.create(
                  client,
                  OperatorSettings.DEFAULTS.watching(Set.of(NAMESPACE)),
                  o -> o.withLeaderElectionConfiguration(lease("standby")));
          OperatorEndpoints standbyEndpoints =
              OperatorEndpoints.start(0, standby.operator(), registry)) {
        standby.start();
        assertThat(get(standbyEndpoints, "/healthz").statusCode()).isEqualTo(200);
        assertThat(get(standbyEndpoints, "/readyz").statusCode())
            .as("a replica waiting for the lease is ready, so the operator's rollout completes")
            .isEqualTo(200);
      }
    }
  }

  @Test
  void namespaces_comeFromTheEnvironment_orTheCommandLine() {
    assertThat(
            OperatorMain.settings(new String[0], Map.of("WATCH_NAMESPACES", "a, b")).namespaces())
        .containsExactlyInAnyOrder("a", "b");
    assertThat(
            OperatorMain.settings(
                    new String[] {"--namespaces", "c"}, Map.of("WATCH_NAMESPACES", "a"))
                .namespaces())
        .containsExactly("c");
    assertThat(OperatorMain.settings(new String[0], Map.of()).namespaces()).isEmpty();
  }

  @Test
  void leaderElection_isOnWhereThePodNamespaceIsKnown() {
    assertThat(OperatorSettings.fromEnvironment(Map.of()).leaseNamespace()).isNull();
    assertThat(OperatorSettings.fromEnvironment(Map.of("POD_NAMESPACE", "ops")).leaseNamespace())
        .isEqualTo("ops");
  }

  @Test
  void aSettingThatIsNoNumber_isRefused_namingIt() {
    assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.of("HTTP_PORT", "http")))
        .hasMessageContaining("HTTP_PORT")
        .hasMessageContaining("'http'");
    assertThatThrownBy(() -> OperatorMain.settings(new String[] {"--verbose"}, Map.of()))
        .hasMessageContaining("--verbose");
  }

  /** The Lease of the test's operators; the process exits when it loses it, a test must not. */
  private static LeaderElectionConfiguration lease(String identity) {
    return new LeaderElectionConfiguration(
        "pipeserve-operator",
        "operators",
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
        identity,
        null,
        false);
  }

  private HttpResponse<String> get(OperatorEndpoints endpoints, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoints.port() + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
