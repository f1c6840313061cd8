package io.pipeserve.e2e.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The operator as its image runs it ({@code java -jar pipeserve-operator.jar}, the jar the operator
 * module builds), as a process of its own against the API server a kubeconfig names, configured by
 * environment as the chart configures it.
 */
final class OperatorProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;

  private OperatorProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts the operator and waits until its readiness endpoint answers.
   *
   * @param jar operator/target/pipeserve-operator.jar (its dependencies in lib/ beside it)
   */
  static OperatorProcess start(Path jar, Path kubeconfig, Path log, Duration timeout) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: build the operator first (./mvnw -pl e2e -am verify builds it)");
    }
    int port = freePort();
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                jar.toAbsolutePath().toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("KUBECONFIG", kubeconfig.toAbsolutePath().toString());
    builder.environment().put("HTTP_PORT", Integer.toString(port));
    // Pods whose trace settings are not yet in step are tried again after a second (the chart's
    // default is 10 s: no rush in a cluster, but the scenarios wait for it).
    builder.environment().put("TRACE_RETRY_MS", "1000");
    try {
      OperatorProcess operator = new OperatorProcess(builder.start(), port, log);
      operator.awaitReady(timeout);
      return operator;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitReady(Duration timeout) {
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the operator exited with " + process.exitValue() + " while starting; see " + log);
      }
      try {
        HttpResponse<Void> ready =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (ready.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        process.waitFor(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException(
        "the operator was not ready within " + timeout + "; see " + log);
  }

  void kill() {
    process.destroyForcibly();
  }

  /** Stops the operator as Kubernetes does: SIGTERM, then SIGKILL after a grace period. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
