package io.pipeserve.bench.scenario;

import io.pipeserve.api.EndpointsSpec;
import io.pipeserve.api.PipelineSpec;
import io.pipeserve.api.SpecLoader;
import io.pipeserve.bench.client.HttpTarget;
import io.pipeserve.bench.load.LoadGenerator;
import io.pipeserve.bench.load.LoadSpec;
import io.pipeserve.bench.load.Result;
import io.pipeserve.bench.machine.Machine;
import io.pipeserve.bench.results.Comparison;
import io.pipeserve.bench.results.Figure;
import io.pipeserve.bench.results.Run;
import io.pipeserve.bench.results.ScenarioBlock;
import io.pipeserve.runtime.cli.Main;
import io.pipeserve.runtime.server.PipelineServer;
import io.vertx.core.buffer.Buffer;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The cost of a remote hop (issue 6): the no-op 3-op pipeline with its middle op served by a
 * process of its own ({@code pipeserve serve FILE --op NAME}, on loopback) against the same
 * pipeline all in this JVM, by the same client, one after the other in this run. One client gives
 * the latency the hop adds (p50, p99); many clients the throughput the pipeline keeps.
 */
public final class RemoteHopScenario {
  public static final String TITLE = "Remote hop: middle op in its own process vs in-process";
  static final double THROUGHPUT_GOAL = 0.5;
  static final double ADDED_P50_GOAL_US = 200;
  private static final String HOST = "127.0.0.1";

  /**
   * @param op the op that runs in its own process
   */
  public record Settings(Path spec, String op, int clients, Duration warmup, Duration duration) {}

  private RemoteHopScenario() {}

  public static ScenarioBlock run(Settings s, String command) {
    PipelineSpec local = Specs.load(s.spec());
    Path baseDir = s.spec().toAbsolutePath().getParent();
    int port = freePort();
    PipelineSpec remote =
        Specs.withEndpoints(
            local, s.op(), new EndpointsSpec(null, List.of(HOST + ":" + port), null));
    Path dir;
    try {
      dir = Files.createTempDirectory("pipeserve-remote-hop");
      Files.writeString(dir.resolve("remote.yaml"), SpecLoader.toYaml(remote));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Buffer body = Buffer.buffer("{\"key\":[\"text\"],\"value\":[\"hello\"]}");
    LoadSpec one = LoadSpec.closed(1, s.warmup(), s.duration());
    LoadSpec many = LoadSpec.closed(s.clients(), s.warmup(), s.duration());
    List<Comparison> comparisons = new ArrayList<>();
    Process op = startOp(dir.resolve("remote.yaml"), s.op(), port, dir);
    try {
      // Unmeasured first: the JIT's warm-up (of both processes) must not land on either side.
      measure(local, baseDir, many, body);
      measure(remote, baseDir, many, body);
      comparisons.add(
          compare(
              "1 client", measure(local, baseDir, one, body), measure(remote, baseDir, one, body)));
      comparisons.add(
          compare(
              s.clients() + " clients",
              measure(local, baseDir, many, body),
              measure(remote, baseDir, many, body)));
    } finally {
      op.destroy();
      try {
        if (!op.waitFor(20, TimeUnit.SECONDS)) {
          op.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    deleteTree(dir); // kept when the run failed: the op process's log is in it

    List<Figure> figures = new ArrayList<>();
    Comparison latency = comparisons.get(0);
    Run remoteOne = latency.runs().get(0);
    double p50 = latency.addedP50Nanos(remoteOne) / 1e3;
    double p99 =
        (remoteOne.result().latency().p99() - latency.baseline().result().latency().p99()) / 1e3;
    figures.add(
        Figure.goal(
            "p50 added per remote hop (1 client)",
            Format.fixed(p50, 1) + " µs",
            "≤ " + Format.fixed(ADDED_P50_GOAL_US, 0) + " µs",
            p50 <= ADDED_P50_GOAL_US));
    figures.add(Figure.of("p99 added per remote hop (1 client)", Format.fixed(p99, 1) + " µs"));
    Comparison throughput = comparisons.get(1);
    double ratio = throughput.throughputRatio(throughput.runs().get(0));
    figures.add(
        Figure.goal(
            "throughput, middle op remote vs in-process (" + s.clients() + " clients)",
            Format.fixed(ratio, 3),
            "≥ " + THROUGHPUT_GOAL,
            ratio >= THROUGHPUT_GOAL));
    String note =
        "HTTP, closed loop, "
            + local.ops().size()
            + " no-op ops of "
            + Repo.display(s.spec())
            + "; op '"
            + s.op()
            + "' served by `pipeserve serve --op` in a JVM of its own on "
            + HOST
            + ", reached over the channel service. Gateway and generator in this JVM; each side"
            + " first runs once unmeasured.";
    return new ScenarioBlock(
        TITLE, Instant.now(), Machine.current(), command, comparisons, List.of(), figures, note);
  }

  private static Comparison compare(String clients, Result local, Result remote) {
    return new Comparison(
        new Run("in-process, " + clients, local),
        List.of(new Run("middle op remote, " + clients, remote)));
  }

  private static Result measure(PipelineSpec spec, Path baseDir, LoadSpec load, Buffer body) {
    PipelineServer server = PipelineServer.start(spec, baseDir, HOST);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!server.isReady()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the gateway did not become ready: " + server.remotes().notReady());
        }
        Thread.sleep(10);
      }
      return LoadGenerator.run(
          load, new HttpTarget(OverheadScenario.url(server.httpPort(), spec), body));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      server.stop(Duration.ofSeconds(5));
    }
  }

  /** The op process: this JVM's classpath (runtime and the bench's ops), its own JVM. */
  private static Process startOp(Path spec, String op, int port, Path dir) {
    int httpPort = freePort();
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener",
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "serve",
            spec.toString(),
            "--op",
            op,
            "--host",
            HOST,
            "--http-port",
            Integer.toString(httpPort),
            "--grpc-port",
            Integer.toString(port));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("op.log").toFile());
    builder.environment().put("PIPESERVE_LOG_DIR", dir.resolve("logs").toString());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    awaitReady(process, httpPort, dir.resolve("op.log"));
    return process;
  }

  private static void awaitReady(Process process, int httpPort, Path log) {
    HttpClient http = HttpClient.newHttpClient();
    URI ready = URI.create("http://" + HOST + ":" + httpPort + "/v2/health/ready");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException("the op process did not become ready; see " + log);
  }

  private static void deleteTree(Path dir) {
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
