package io.pipeserve.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real-cluster mode against fabric8's mock API server standing in for the cluster, reached
 * through a kubeconfig file as a real one is. What the mock cannot do (port-forward, exec) is not
 * exercised here: it runs only against a real cluster.
 */
@EnableKubernetesMockClient(crud = true, https = true)
class RemoteClusterTest {
  private static final String TOKEN = "e2e-token-from-the-kubeconfig";
  private static final String OPERATOR_NAMESPACE = "pipeserve-system";

  KubernetesMockServer server;
  KubernetesClient client;
  @TempDir Path dir;

  @Test
  void connect_readsTheKubeconfigFile_andAcceptsAClusterWithTheCrdAndAReadyOperator()
      throws Exception {
    installCrd();
    client.resource(operatorPod("pipeserve-7d9f8-x2k4q", true, null)).create();
    E2eConfig config = config(kubeconfig(server.url("/")));

    try (RemoteCluster cluster = RemoteCluster.connect(config)) {
      assertThat(cluster.client().getMasterUrl().toString()).isEqualTo(server.url("/"));
      assertThat(cluster.client().pods().inNamespace(OPERATOR_NAMESPACE).list().getItems())
          .extracting(p -> p.getMetadata().getName())
          .containsExactly("pipeserve-7d9f8-x2k4q");
      assertThat(server.getLastRequest().getHeader("Authorization"))
          .as("the kubeconfig's user")
          .isEqualTo("Bearer " + TOKEN);
      assertThat(cluster.runtimeImage()).isEqualTo(config.image());
      assertThat(cluster.readyTimeout()).isEqualTo(Duration.ofSeconds(600));
    }
  }

  @Test
  void connect_refusesAClusterWithoutTheCrd_sayingToInstallTheChart() throws IOException {
    client.resource(operatorPod("pipeserve-7d9f8-x2k4q", true, null)).create();
    Path kubeconfig = kubeconfig(server.url("/"));

    assertThatThrownBy(() -> RemoteCluster.connect(config(kubeconfig)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("The Pipeline CRD (pipelines.pipeserve.io) is not installed")
        .hasMessageContaining(server.url("/"))
        .hasMessageContaining("E2E_KUBECONFIG=" + kubeconfig)
        .hasMessageContaining("helm install pipeserve charts/pipeserve")
        .hasMessageContaining("e2e/README.md");
  }

  @Test
  void connect_refusesACrdThatDoesNotServeThisVersion_sayingToReplaceIt() throws IOException {
    CustomResourceDefinition crd = repoCrd();
    crd.getSpec().getVersions().forEach(v -> v.setName("v1alpha0"));
    client.resource(crd).create();
    client.resource(operatorPod("pipeserve-7d9f8-x2k4q", true, null)).create();

    assertThatThrownBy(() -> RemoteCluster.connect(config(kubeconfig(server.url("/")))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not serve v1alpha1 (it serves [v1alpha0])")
        .hasMessageContaining("kubectl apply --server-side -f crds/pipelines.pipeserve.io-v1.yml");
  }

  @Test
  void connect_refusesAClusterWithoutTheOperator_sayingToInstallIt() throws IOException {
    installCrd();

    assertThatThrownBy(() -> RemoteCluster.connect(config(kubeconfig(server.url("/")))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("No pipeserve operator runs")
        .hasMessageContaining("app.kubernetes.io/name=pipeserve-operator")
        .hasMessageContaining("docker build -f operator/Dockerfile")
        .hasMessageContaining("helm install pipeserve charts/pipeserve");
  }

  @Test
  void connect_refusesAnOperatorThatIsNotReady_sayingWhatItsPodWaitsFor() throws IOException {
    installCrd();
    client
        .resource(
            operatorPod(
                "pipeserve-7d9f8-x2k4q",
                false,
                new ContainerStatusBuilder()
                    .withName("operator")
                    .withNewState()
                    .withNewWaiting()
                    .withReason("ErrImageNeverPull")
                    .withMessage("image \"ghcr.io/pipeserve/operator:0.1.0\" is not present")
                    .endWaiting()
                    .endState()
                    .build()))
        .create();

    assertThatThrownBy(() -> RemoteCluster.connect(config(kubeconfig(server.url("/")))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("The pipeserve operator is not ready")
        .hasMessageContaining(
            "pipeserve-system/pipeserve-7d9f8-x2k4q: Pending, container operator waiting:"
                + " ErrImageNeverPull (image \"ghcr.io/pipeserve/operator:0.1.0\" is not present)")
        .hasMessageContaining("kind load docker-image");
  }

  @Test
  void connect_refusesAnUnreachableApiServer_atOnce() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closedPort + "/";
    E2eConfig config = config(kubeconfig(url));

    // The client's own retries back off for 19 s in all, however fast the machine.
    assertTimeout(
        Duration.ofSeconds(15),
        () ->
            assertThatThrownBy(() -> RemoteCluster.connect(config))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Cannot reach the API server of the cluster at " + url)
                .hasMessageContaining("Is the cluster running"));
  }

  @Test
  void connect_refusesCredentialsTheApiServerRejects() throws IOException {
    server
        .expect()
        .get()
        .withPath("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/pipelines.pipeserve.io")
        .andReturn(
            403,
            new StatusBuilder()
                .withStatus("Failure")
                .withReason("Forbidden")
                .withCode(403)
                .withMessage("customresourcedefinitions is forbidden")
                .build())
        .always();

    assertThatThrownBy(() -> RemoteCluster.connect(config(kubeconfig(server.url("/")))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("refused the kubeconfig's credentials (HTTP 403)")
        .hasMessageContaining("cluster-admin");
  }

  @Test
  void connect_refusesAFileThatIsNoKubeconfig() throws IOException {
    Path notKubeconfig = Files.writeString(dir.resolve("notes.txt"), "clusters: [unclosed\n");

    assertThatThrownBy(() -> RemoteCluster.connect(config(notKubeconfig)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("E2E_KUBECONFIG=" + notKubeconfig + ": not a kubeconfig");
  }

  @Test
  void crash_deletesThePodWithNoGracePeriod() throws Exception {
    try (RemoteCluster cluster = connectedCluster()) {
      client.resource(runtimePod("ocr-rec-5c6d7-abcde")).create();

      cluster.crash("ocr", "ocr-rec-5c6d7-abcde");

      assertThat(client.pods().inNamespace("ocr").withName("ocr-rec-5c6d7-abcde").get()).isNull();
      assertThat(deleteRequest().getUtf8Body()).contains("\"gracePeriodSeconds\":0");
    }
  }

  @Test
  void crash_ofAPodThatIsNotThere_isRefused() throws IOException {
    try (RemoteCluster cluster = connectedCluster()) {
      assertThatThrownBy(() -> cluster.crash("ocr", "gone"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("There is no pod ocr/gone to crash");
    }
  }

  @Test
  void runningProcesses_areTheRunningContainersOfTheNamespacesPods_sidecarsIncluded()
      throws IOException {
    try (RemoteCluster cluster = connectedCluster()) {
      Pod serving = runtimePod("ocr-5f6g7-aaaaa");
      serving.getStatus().setContainerStatuses(List.of(running("runtime")));
      serving
          .getStatus()
          .setInitContainerStatuses(List.of(terminated("fetch-models"), running("model-server")));
      client.resource(serving).create();
      Pod crashLooping = runtimePod("ocr-5f6g7-bbbbb");
      crashLooping
          .getStatus()
          .setContainerStatuses(
              List.of(
                  new ContainerStatusBuilder()
                      .withName("runtime")
                      .withNewState()
                      .withNewWaiting()
                      .withReason("CrashLoopBackOff")
                      .endWaiting()
                      .endState()
                      .build()));
      client.resource(crashLooping).create();
      Pod elsewhere = runtimePod("other-5f6g7-ccccc");
      elsewhere.getMetadata().setNamespace("other");
      elsewhere.getStatus().setContainerStatuses(List.of(running("runtime")));
      client.resource(elsewhere).create();

      assertThat(cluster.runningProcesses("ocr")).isEqualTo(2);
      assertThat(cluster.runningProcesses("empty")).isZero();
    }
  }

  @Test
  void service_thatDoesNotExist_isRefused_andAPortItLacks_named() throws IOException {
    try (RemoteCluster cluster = connectedCluster()) {
      client
          .resource(
              new ServiceBuilder()
                  .withNewMetadata()
                  .withName("ocr")
                  .withNamespace("ocr")
                  .endMetadata()
                  .withNewSpec()
                  .withSelector(Map.of("app.kubernetes.io/instance", "ocr"))
                  .addNewPort()
                  .withName("http")
                  .withPort(9999)
                  .endPort()
                  .endSpec()
                  .build())
          .create();

      assertThatThrownBy(() -> cluster.service("ocr", "nothing", 9999))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("There is no Service ocr/nothing");
      assertThatThrownBy(() -> cluster.service("ocr", "ocr", 8000))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Service ocr/ocr has no port 8000; it has [9999 (http)]");
      assertThatThrownBy(() -> cluster.pod("ocr", "ocr-5f6g7-aaaaa", 9999))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("There is no pod ocr/ocr-5f6g7-aaaaa");
    }
  }

  private RemoteCluster connectedCluster() throws IOException {
    installCrd();
    client.resource(operatorPod("pipeserve-7d9f8-x2k4q", true, null)).create();
    return RemoteCluster.connect(config(kubeconfig(server.url("/"))));
  }

  /** The first DELETE the server received. */
  private RecordedRequest deleteRequest() throws InterruptedException {
    RecordedRequest request;
    do {
      request = server.takeRequest(5, TimeUnit.SECONDS);
      assertThat(request).as("a DELETE request").isNotNull();
    } while (!"DELETE".equals(request.getMethod()));
    return request;
  }

  private static E2eConfig config(Path kubeconfig) {
    return E2eConfig.fromEnvironment(Map.of("E2E_KUBECONFIG", kubeconfig.toString()));
  }

  /** A kubeconfig as kind writes one: one cluster, one user with a token, one current context. */
  private Path kubeconfig(String server) throws IOException {
    return Files.writeString(
        dir.resolve("kubeconfig"),
        """
        apiVersion: v1
        kind: Config
        clusters:
          - name: e2e
            cluster:
              server: %s
              insecure-skip-tls-verify: true
        users:
          - name: e2e-admin
            user:
              token: %s
        contexts:
          - name: e2e
            context:
              cluster: e2e
              user: e2e-admin
        current-context: e2e
        """
            .formatted(server, TOKEN));
  }

  private void installCrd() throws IOException {
    client.resource(repoCrd()).create();
  }

  /** The CRD charts/pipeserve installs. */
  private CustomResourceDefinition repoCrd() throws IOException {
    Path here = Path.of("").toAbsolutePath();
    Path root = Files.isDirectory(here.resolve("crds")) ? here : here.getParent();
    return client
        .getKubernetesSerialization()
        .unmarshal(
            Files.readString(root.resolve("charts/pipeserve/crds/pipelines.pipeserve.io-v1.yml")),
            CustomResourceDefinition.class);
  }

  /** A pod of the operator's Deployment as charts/pipeserve labels it. */
  private static Pod operatorPod(String name, boolean ready, ContainerStatus container) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(OPERATOR_NAMESPACE)
        .withLabels(
            Map.of(
                "app.kubernetes.io/name", "pipeserve-operator",
                "app.kubernetes.io/instance", "pipeserve"))
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("operator")
        .withImage("ghcr.io/pipeserve/operator:0.1.0")
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase(ready ? "Running" : "Pending")
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .withContainerStatuses(container == null ? List.of() : List.of(container))
        .endStatus()
        .build();
  }

  private static Pod runtimePod(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("ocr")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("runtime")
        .withImage("ghcr.io/pipeserve/runtime:0.1.0")
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .endStatus()
        .build();
  }

  private static ContainerStatus running(String name) {
    return new ContainerStatusBuilder()
        .withName(name)
        .withNewState()
        .withNewRunning()
        .endRunning()
        .endState()
        .build();
  }

  private static ContainerStatus terminated(String name) {
    return new ContainerStatusBuilder()
        .withName(name)
        .withNewState()
        .withNewTerminated()
        .withExitCode(0)
        .withReason("Completed")
        .endTerminated()
        .endState()
        .build();
  }
}
