package io.pipeserve.runtime.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pipeserve.runtime.server.PipelineServer;
import io.pipeserve.runtime.testing.OpProcess;
import io.pipeserve.runtime.testing.Specs;
import io.pipeserve.runtime.testing.TestOps;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slow op in a process of its own: the gateway refuses what the op cannot take instead of holding
 * it, and a request's deadline holds in the op process too.
 */
class RemoteBackpressureTest {
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private PipelineServer gateway;
  private OpProcess replica;

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.stop(Duration.ofSeconds(1));
    }
    if (replica != null) {
      replica.close();
    }
  }

  /**
   * Starts the op process with {@code opDag} and the gateway with {@code gatewayDag}: in a cluster
   * both read one spec, here each gets the dag section the test needs.
   */
  private void start(String gatewayDag, String opDag, long sleepMs) throws Exception {
    int port = OpProcess.freePort("127.0.0.2");
    String ops =
        """
        ops:
          - name: slow
            kind: java
            className: %s
            params: {ms: %d}
            endpoints: {addresses: ['127.0.0.2:%d']}
        """
            .formatted(TestOps.Sleep.class.getName(), sleepMs, port);
    String server = "server: {name: slow, httpPort: 0, grpcPort: 0, workers: 2}\n";
    Path opSpec = Files.writeString(dir.resolve("op.yaml"), server + opDag + ops);
    replica = OpProcess.start(opSpec, "slow", "127.0.0.2", port).awaitReady();
    gateway = PipelineServer.start(Specs.yaml(server + gatewayDag + ops), dir, "127.0.0.1");
    await().atMost(Duration.ofSeconds(30)).until(gateway::isReady);
  }

  @Test
  void slowOp_gatewayAnswers429ForWhatTheOpCannotTake_andHoldsNothingBeyondItsWindow()
      throws Exception {
    // The op holds 2 samples (its channel size, its window); the gateway could hold 64.
    start(
        "dag: {channelSize: 64, tracerIntervalSeconds: 0}\n",
        "dag: {channelSize: 2, tracerIntervalSeconds: 0}\n",
        3_000);
    warmUpConnections(20);

    long start = System.nanoTime();
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      responses.add(postAsync("{\"key\":[\"text\"],\"value\":[\"r" + i + "\"]}"));
    }
    List<HttpResponse<String>> refused = new ArrayList<>();
    AtomicInteger refusedFast = new AtomicInteger();
    for (CompletableFuture<HttpResponse<String>> f : responses) {
      f.thenAccept(
          r -> {
            if (r.statusCode() == 429 && System.nanoTime() - start < 2_500_000_000L) {
              refusedFast.incrementAndGet();
            }
          });
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> responses.stream().allMatch(f -> f.isDone()));
    List<HttpResponse<String>> ok = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> f : responses) {
      HttpResponse<String> r = f.join();
      (r.statusCode() == 200 ? ok : refused).add(r);
    }

    assertThat(ok).as("what the op took").hasSizeBetween(2, 4);
    assertThat(refused).hasSize(20 - ok.size());
    assertThat(refused)
        .allSatisfy(
            r -> {
              assertThat(r.statusCode()).isEqualTo(429);
              JsonObject body = new JsonObject(r.body());
              assertThat(body.getInteger("err_no")).isEqualTo(3003);
              assertThat(body.getString("err_msg")).contains("op 'slow' is busy");
            });
    assertThat(refusedFast.get())
        .as("429s answered before the op finished its first sample")
        .isEqualTo(refused.size());
    assertThat(replica.metric("pipeserve_request_failures_total", ""))
        .as("the op process refused nothing: the gateway kept to its window")
        .isZero();
  }

  @Test
  void deadline_holdsAcrossTheHop() throws Exception {
    // The op process's own deadline is a minute: a sample that ends sooner got the gateway's.
    start(
        "dag: {requestTimeoutMs: 500, tracerIntervalSeconds: 0}\n",
        "dag: {requestTimeoutMs: 60000, tracerIntervalSeconds: 0}\n",
        3_000);

    long start = System.nanoTime();
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      responses.add(postAsync("{\"key\":[\"text\"],\"value\":[\"r" + i + "\"]}"));
    }
    for (CompletableFuture<HttpResponse<String>> f : responses) {
      HttpResponse<String> r = f.join();
      assertThat(r.statusCode()).isEqualTo(504);
      assertThat(new JsonObject(r.body()).getInteger("err_no")).isEqualTo(6000);
    }
    long answeredMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(answeredMs).as("the gateway answered at its deadline").isLessThan(2_500);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(replica.metric("pipeserve_request_failures_total", "err_no=\"6000\""))
                    .as("samples the op process timed out itself")
                    .isEqualTo(3));
    assertThat(replica.metric("pipeserve_op_latency_seconds_count", "op=\"slow\""))
        .as("samples the op process ran to the end")
        .isZero();
  }

  /** Opens the client's connections, so the burst measures the gateway, not connection set-up. */
  private void warmUpConnections(int n) {
    List<CompletableFuture<HttpResponse<String>>> probes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      probes.add(
          http.sendAsync(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + gateway.httpPort() + "/v2/health/live"))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    probes.forEach(CompletableFuture::join);
  }

  private CompletableFuture<HttpResponse<String>> postAsync(String body) {
    return http.sendAsync(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.httpPort() + "/slow/prediction"))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
