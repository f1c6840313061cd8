package io.pipeserve.operator.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pipeserve.api.SpecLoader;
import io.pipeserve.operator.status.StatusRecorder.TraceOutcome;
import io.pipeserve.operator.testing.LoopbackPorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live trace update against real runtime processes (the runtime module's jar; the runtime
 * cannot share this classpath), each on its own loopback address as its pod IP: the settings show
 * on every runtime's GET /v2/trace/setting, and no process was restarted.
 */
class RuntimeTraceSyncTest {
  private static final Path RUNTIME_JAR = Path.of("../runtime/target/pipeserve-runtime.jar");
  private static final String PIPELINE =
      """
      server: {name: p}
      trace: {level: [OFF], file: %s}
      ops:
        - {name: det, kind: none}
        - {name: rec, kind: none, inputs: [det]}
      """;
  private static final String CHANGED =
      """
      trace: {level: [TIMESTAMPS], rate: 10}
      ops:
        - {name: det, kind: none, trace: {level: [TIMESTAMPS, TENSORS]}}
        - {name: rec, kind: none, inputs: [det]}
      """;

  private final HttpClient http = HttpClient.newHttpClient();
  private final TraceSync sync =
      new TraceSync(new TraceClient(Duration.ofSeconds(2)), List.of(Duration.ofMillis(100)));
  private final List<Process> runtimes = new ArrayList<>();
  @TempDir Path dir;
  private int port;

  @BeforeEach
  void startRuntimes() throws Exception {
    assumeTrue(Files.exists(RUNTIME_JAR), "the runtime module is built first in the reactor");
    port = LoopbackPorts.freeOn("127.0.0.2", "127.0.0.3");
    int grpcPort = port;
    while (grpcPort == port) {
      grpcPort = LoopbackPorts.freeOn("127.0.0.2", "127.0.0.3");
    }
    Path spec =
        Files.writeString(dir.resolve("pipeline.yaml"), PIPELINE.formatted(dir.resolve("t.json")));
    for (String ip : List.of("127.0.0.2", "127.0.0.3")) {
      runtimes.add(
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-jar",
                  RUNTIME_JAR.toAbsolutePath().toString(),
                  "serve",
                  spec.toString(),
                  "--host",
                  ip,
                  "--http-port",
                  Integer.toString(port),
                  "--grpc-port",
                  Integer.toString(grpcPort))
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("runtime-" + ip + ".log").toFile())
              .start());
    }
    for (String ip : List.of("127.0.0.2", "127.0.0.3")) {
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(() -> get(ip, "/v2/health/ready").statusCode() == 200);
    }
  }

  @AfterEach
  void stopRuntimes() {
    runtimes.forEach(Process::destroy);
    sync.close();
  }

  @Test
  void changedTraceSettings_showOnEveryRuntime_withoutARestart() throws Exception {
    List<Long> pids = runtimes.stream().map(Process::pid).toList();

    TraceOutcome outcome =
        sync.sync(
            TracePlan.of(SpecLoader.fromYaml(CHANGED)),
            List.of(new TargetPod("a", "127.0.0.2", port), new TargetPod("b", "127.0.0.3", port)),
            null,
            2);

    assertThat(outcome.synced()).isTrue();
    assertThat(outcome.status().syncedPods()).containsExactly("a", "b");
    for (String ip : List.of("127.0.0.2", "127.0.0.3")) {
      assertThat(settings(ip, "/v2/trace/setting"))
          .containsEntry("trace_level", List.of("TIMESTAMPS"))
          .containsEntry("trace_rate", "10");
      assertThat(settings(ip, "/v2/models/det/trace/setting"))
          .containsEntry("trace_level", List.of("TIMESTAMPS", "TENSORS"));
      assertThat(settings(ip, "/v2/models/rec/trace/setting"))
          .containsEntry("trace_level", List.of("TIMESTAMPS"));
    }
    assertThat(runtimes).allMatch(Process::isAlive);
    assertThat(runtimes.stream().map(Process::pid).toList()).isEqualTo(pids);
  }

  private HttpResponse<String> get(String ip, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://" + ip + ":" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> settings(String ip, String path) throws Exception {
    return new ObjectMapper().readValue(get(ip, path).body(), Map.class);
  }
}
