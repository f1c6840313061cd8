package io.pipeserve.runtime.testing;

import static org.awaitility.Awaitility.await;

import io.pipeserve.runtime.cli.Main;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An op process, {@code pipeserve serve FILE --op NAME}, in a JVM of its own on a loopback address:
 * the runtime's main class on the test classpath, so the test ops load. It keeps its address and
 * ports across {@link #kill} and {@link #restart}, as a pod behind a Service does.
 */
public final class OpProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Path spec;
  private final String op;
  private final String host;
  private final int httpPort;
  private final int grpcPort;
  private final Path log;
  private Process process;

  private OpProcess(Path spec, String op, String host, int httpPort, int grpcPort, Path log) {
    this.spec = spec;
    this.op = op;
    this.host = host;
    this.httpPort = httpPort;
    this.grpcPort = grpcPort;
    this.log = log;
  }

  /** Starts op {@code op} of {@code spec} on {@code host} (a 127.x address), on free ports. */
  public static OpProcess start(Path spec, String op, String host) {
    return start(spec, op, host, freePort(host));
  }

  /** Starts it with its channel service on {@code grpcPort}. */
  public static OpProcess start(Path spec, String op, String host, int grpcPort) {
    Path log = spec.resolveSibling("op-" + op + "-" + host + "-" + grpcPort + ".log");
    OpProcess p = new OpProcess(spec, op, host, freePort(host), grpcPort, log);
    p.launch();
    return p;
  }

  /** {@code host:port} of its channel service, as endpoints name it. */
  public String address() {
    return host + ":" + grpcPort;
  }

  public int httpPort() {
    return httpPort;
  }

  private void launch() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // A small, quickly started JVM: the machine running the tests runs several of them.
    command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of("serve", spec.toString(), "--op", op, "--host", host));
    command.addAll(List.of("--http-port", "" + httpPort, "--grpc-port", "" + grpcPort));
    command.addAll(List.of("--grace", "5"));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(spec.getParent().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().put("PIPESERVE_LOG_DIR", spec.resolveSibling("logs-" + op).toString());
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until its readiness probe passes. */
  public OpProcess awaitReady() {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .failFast("the op process exited; its log:\n" + log, () -> !process.isAlive())
        .until(() -> get("/v2/health/ready").statusCode() == 200);
    return this;
  }

  /** SIGKILL: no drain, no goodbye on its streams. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  /** Starts it again, on the same address and ports. */
  public OpProcess restart() {
    launch();
    return this;
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://" + host + ":" + httpPort + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A counter or gauge of its /metrics, summed over the series that contain {@code labels}. */
  public double metric(String name, String labels) throws IOException, InterruptedException {
    return Metrics.sum(get("/metrics").body(), name, labels);
  }

  public String log() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGTERM, then SIGKILL if it has not stopped in time. */
  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  public static int freePort(String host) {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads Prometheus' text format. */
  public static final class Metrics {
    private Metrics() {}

    public static double sum(String text, String name, String labels) {
      Pattern line = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$");
      double sum = 0;
      for (String l : text.split("\n")) {
        Matcher m = line.matcher(l);
        if (m.matches() && (m.group(1) == null ? "" : m.group(1)).contains(labels)) {
          sum += Double.parseDouble(m.group(2));
        }
      }
      return sum;
    }
  }
}
