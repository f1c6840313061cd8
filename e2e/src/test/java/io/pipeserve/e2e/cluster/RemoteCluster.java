package io.pipeserve.e2e.cluster;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.ExecListener;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A real cluster ({@code E2E_KUBECONFIG}) with the operator installed from charts/pipeserve: the
 * scenarios' Pipelines are served by pods of the runtime image, and what a test does from outside
 * goes through the API server, as kubectl would: Services and pods are reached by port-forward
 * ({@link ForwardedPort}), files are read by exec, a crash is a pod deleted with no grace period.
 */
public final class RemoteCluster implements Cluster {
  /** What a missing file makes the read's shell exit with; cat's own failures exit 1. */
  static final int NO_SUCH_FILE = 66;

  private static final String READ_FILE =
      "[ -f \"$1\" ] || exit " + NO_SUCH_FILE + "; cat -- \"$1\"";
  private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(60);

  private final E2eConfig config;
  private final KubernetesClient client;
  private final Map<String, ForwardedPort> forwards = new HashMap<>();

  private RemoteCluster(E2eConfig config, KubernetesClient client) {
    this.config = config;
    this.client = client;
  }

  /**
   * Connects to the cluster of {@code config.kubeconfig()}, after checking that the scenarios can
   * run on it ({@link Preflight}).
   *
   * @throws IllegalStateException saying what the cluster lacks and how to install it, or why it
   *     cannot be reached
   */
  public static RemoteCluster connect(E2eConfig config) {
    if (!config.remote()) {
      throw new IllegalArgumentException(
          E2eConfig.KUBECONFIG + " is not set: there is no real cluster to connect to");
    }
    // The client tries a failed request ten more times, backing off, for some 20 s: what the
    // scenarios want on a busy cluster; the check wants an answer now.
    Config once = kubeconfig(config.kubeconfig());
    once.setRequestRetryBackoffLimit(0);
    try (KubernetesClient check = client(once)) {
      Preflight.check(check, config.kubeconfig());
    }
    return new RemoteCluster(config, client(kubeconfig(config.kubeconfig())));
  }

  private static Config kubeconfig(Path file) {
    try {
      return Config.fromKubeconfig(file.toFile());
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          E2eConfig.KUBECONFIG
              + "="
              + file
              + ": not a kubeconfig the client can use: "
              + e.getMessage()
              + "; write it with kind get kubeconfig or k3d kubeconfig get",
          e);
    }
  }

  private static KubernetesClient client(Config config) {
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientFactory(new JdkHttpClientFactory())
        .build();
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

  /** Each connection goes to one of the Service's ready pods, chosen as it opens. */
  @Override
  public InetSocketAddress service(String namespace, String name, int port) {
    return forward(
        "service/" + namespace + "/" + name + ":" + port,
        () -> ForwardedPort.toService(client, namespace, name, port));
  }

  @Override
  public InetSocketAddress pod(String namespace, String name, int port) {
    return forward(
        "pod/" + namespace + "/" + name + ":" + port,
        () -> ForwardedPort.toPod(client, namespace, name, port));
  }

  private synchronized InetSocketAddress forward(String key, Supplier<ForwardedPort> open) {
    return forwards.computeIfAbsent(key, k -> open.get()).address();
  }

  /**
   * Deletes the pod with no grace period: it leaves the API at once, its Deployment starts a new
   * pod, and the kubelet stops its containers within seconds. The nearest a client of the API gets
   * to a crash: a container's PID 1 cannot be SIGKILLed from inside the container.
   */
  @Override
  public void crash(String namespace, String name) {
    List<StatusDetails> deleted =
        client.pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
    if (deleted.isEmpty()) {
      throw new IllegalArgumentException(
          "There is no pod " + namespace + "/" + name + " to crash.");
    }
  }

  /** Runs {@code cat} in the container, through the API server's exec. */
  @Override
  public String readFile(String namespace, String pod, String container, String path) {
    String where = path + " in container " + container + " of pod " + namespace + "/" + pod;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    // The exit code comes before the last output is written; the close comes after.
    CompletableFuture<Void> closed = new CompletableFuture<>();
    try (ExecWatch exec =
        client
            .pods()
            .inNamespace(namespace)
            .withName(pod)
            .inContainer(container)
            .writingOutput(out)
            .writingError(err)
            .usingListener(
                new ExecListener() {
                  @Override
                  public void onFailure(Throwable t, Response failureResponse) {
                    closed.completeExceptionally(t);
                  }

                  @Override
                  public void onClose(int code, String reason) {
                    closed.complete(null);
                  }
                })
            .exec("sh", "-c", READ_FILE, "sh", path)) {
      closed.get(EXEC_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      Integer exit = exec.exitCode().getNow(null);
      if (exit != null && exit == NO_SUCH_FILE) {
        return null;
      }
      if (exit == null || exit != 0) {
        throw new IllegalStateException(
            "Cannot read "
                + where
                + ": exit code "
                + exit
                + ", "
                + err.toString(StandardCharsets.UTF_8).strip());
      }
      return out.toString(StandardCharsets.UTF_8);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Cannot read " + where + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Reading " + where + " took more than " + EXEC_TIMEOUT.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted reading " + where, e);
    }
  }

  /** Containers running in the namespace's pods, init containers (sidecars) included. */
  @Override
  public int runningProcesses(String namespace) {
    return (int)
        client.pods().inNamespace(namespace).list().getItems().stream()
            .map(Pod::getStatus)
            .filter(status -> status != null)
            .flatMap(
                status ->
                    Stream.concat(
                        status.getContainerStatuses().stream(),
                        status.getInitContainerStatuses().stream()))
            .filter(RemoteCluster::running)
            .count();
  }

  private static boolean running(ContainerStatus container) {
    return container.getState() != null && container.getState().getRunning() != null;
  }

  @Override
  public synchronized void close() {
    forwards.values().forEach(ForwardedPort::close);
    forwards.clear();
    client.close();
  }
}
