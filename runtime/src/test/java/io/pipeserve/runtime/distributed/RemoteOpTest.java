package io.pipeserve.runtime.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pipeserve.runtime.server.PipelineServer;
import io.pipeserve.runtime.testing.OpProcess;
import io.pipeserve.runtime.testing.Specs;
import io.pipeserve.runtime.testing.TestOps;
import io.pipeserve.runtime.trace.file.Frontend;
import io.pipeserve.runtime.trace.file.TimestampNames;
import io.pipeserve.runtime.trace.file.TraceEntry;
import io.pipeserve.runtime.trace.file.TraceFileReader;
import io.pipeserve.runtime.trace.file.TraceRecord;
import io.pipeserve.runtime.trace.file.TraceSummary;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An op in a process of its own between two ops of a gateway in this JVM. */
class RemoteOpTest {
  private static final String HOST = "127.0.0.2";
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;
  private PipelineServer gateway;
  private OpProcess replica;
  private int port;

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.stop(Duration.ofSeconds(1));
    }
    if (replica != null) {
      replica.close();
    }
  }

  /** a (here) → b (in its own process) → c (here), each appending its suffix. */
  private Path spec(String trace) throws Exception {
    port = OpProcess.freePort(HOST);
    String yaml =
        """
        server: {name: chain, httpPort: 0, grpcPort: 0, workers: 1}
        dag: {tracerIntervalSeconds: 0}
        ops:
          - {name: a, kind: java, className: %1$s, params: {suffix: "-a"}}
          - name: b
            inputs: [a]
            kind: java
            className: %1$s
            params: {suffix: "-b"}
            endpoints: {addresses: ['%2$s:%3$d']}
          - {name: c, inputs: [b], kind: java, className: %1$s, params: {suffix: "-c"}}
        trace: %4$s
        """
            .formatted(TestOps.Append.class.getName(), HOST, port, trace);
    return Files.writeString(dir.resolve("chain.yaml"), yaml);
  }

  private void startGateway(Path spec) throws Exception {
    gateway = PipelineServer.start(Specs.yaml(Files.readString(spec)), dir, "127.0.0.1");
  }

  private void startReplica(Path spec) {
    replica = OpProcess.start(spec, "b", HOST, port).awaitReady();
  }

  @Test
  void remoteOp_transformsTheSampleBetweenLocalOps() throws Exception {
    Path spec = spec("{}");
    startReplica(spec);
    startGateway(spec);
    await().atMost(Duration.ofSeconds(20)).until(gateway::isReady);

    HttpResponse<String> response = post("{\"key\":[\"text\"],\"value\":[\"x\"]}").join();

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(response.body()).getJsonArray("value")).containsExactly("x-a-b-c");
  }

  @Test
  void gateway_isNotReadyUntilTheRemoteOpHasAReplica_andSaysWhichOp() throws Exception {
    Path spec = spec("{}");
    startGateway(spec);

    HttpResponse<String> notReady = get("/v2/health/ready");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(new JsonObject(notReady.body()).getString("error"))
        .startsWith("op 'b' has no ready replica")
        .contains(HOST + ":" + port);

    CompletableFuture<HttpResponse<String>> early =
        post("{\"key\":[\"text\"],\"value\":[\"early\"]}");
    startReplica(spec);
    await().atMost(Duration.ofSeconds(20)).until(() -> get("/v2/health/ready").statusCode() == 200);
    HttpResponse<String> answered = early.join();
    assertThat(answered.statusCode()).as("a request that came before any replica").isEqualTo(200);
    assertThat(new JsonObject(answered.body()).getJsonArray("value"))
        .containsExactly("early-a-b-c");
  }

  @Test
  void tracedRequest_recordsTheHopAndTheOpProcessStagesInTheOpsChildTrace() throws Exception {
    Path traceFile = dir.resolve("trace.json");
    Path spec = spec("{level: [TIMESTAMPS], rate: 1, file: %s}".formatted(traceFile));
    startReplica(spec);
    startGateway(spec);
    await().atMost(Duration.ofSeconds(20)).until(gateway::isReady);

    assertThat(post("{\"key\":[\"text\"],\"value\":[\"x\"]}").join().statusCode()).isEqualTo(200);
    gateway.stop(Duration.ofSeconds(5));
    List<TraceRecord> traces = TraceFileReader.read(traceFile);

    TraceRecord pipeline = traces.stream().filter(t -> t.parentId().isEmpty()).findFirst().get();
    TraceRecord b = traces.stream().filter(t -> t.modelName().equals("b")).findFirst().get();
    assertThat(b.parentId()).hasValue(pipeline.id());
    List<String> hop =
        List.of(
            TimestampNames.REQUEST_START,
            TimestampNames.QUEUE_START,
            TimestampNames.CHANNEL_SEND_START,
            TimestampNames.CHANNEL_SEND_END,
            TimestampNames.COMPUTE_START,
            TimestampNames.COMPUTE_INPUT_END,
            TimestampNames.COMPUTE_OUTPUT_START,
            TimestampNames.COMPUTE_END,
            TimestampNames.CHANNEL_RECV_START,
            TimestampNames.CHANNEL_RECV_END,
            TimestampNames.REQUEST_END);
    assertThat(names(b)).containsExactlyElementsOf(hop);
    assertThat(hop.stream().map(n -> b.timestamps().get(n)).toList()).isSorted();
    assertThat(TraceSummary.of(Frontend.HTTP, traces).models())
        .as("Triton's summary counts the remote op like the others")
        .hasSize(4);
  }

  private static List<String> names(TraceRecord trace) {
    return trace.entries().stream()
        .filter(e -> e instanceof TraceEntry.Timestamp)
        .map(e -> ((TraceEntry.Timestamp) e).name())
        .toList();
  }

  private CompletableFuture<HttpResponse<String>> post(String body) {
    return http.sendAsync(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.httpPort() + "/chain/prediction"))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(60))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
