package io.pipeserve.runtime.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pipeserve.runtime.server.PipelineServer;
import io.pipeserve.runtime.testing.OpProcess;
import io.pipeserve.runtime.testing.Specs;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two gateways, one op process that batches: its batches merge the samples of both. */
class RemoteBatchingTest {
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<PipelineServer> gateways = new ArrayList<>();
  private OpProcess replica;

  @AfterEach
  void stop() throws Exception {
    gateways.forEach(g -> g.stop(Duration.ofSeconds(1)));
    if (replica != null) {
      replica.close();
    }
  }

  @Test
  void batchesInTheOpProcess_holdSamplesOfBothGateways() throws Exception {
    int port = OpProcess.freePort("127.0.0.2");
    // A batch waits up to a second to fill: long enough for the samples of both gateways.
    String yaml =
        """
        server: {name: mates, httpPort: 0, grpcPort: 0, workers: 1}
        dag: {tracerIntervalSeconds: 0}
        ops:
          - name: batcher
            kind: java
            className: %s
            batch: {size: 4, timeoutMs: 1000}
            endpoints: {addresses: ['127.0.0.2:%d']}
        """
            .formatted(BatchMates.class.getName(), port);
    Path spec = Files.writeString(dir.resolve("mates.yaml"), yaml);
    replica = OpProcess.start(spec, "batcher", "127.0.0.2", port).awaitReady();
    for (int i = 0; i < 2; i++) {
      PipelineServer gateway = PipelineServer.start(Specs.yaml(yaml), dir, "127.0.0.1");
      gateways.add(gateway);
      await().atMost(Duration.ofSeconds(30)).until(gateway::isReady);
    }

    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (String from : List.of("A1", "B1", "A2", "B2")) {
      PipelineServer gateway = gateways.get(from.startsWith("A") ? 0 : 1);
      responses.add(post(gateway, "{\"key\":[\"from\"],\"value\":[\"" + from + "\"]}"));
    }
    List<String> batches = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> f : responses) {
      HttpResponse<String> r = f.join();
      assertThat(r.statusCode()).isEqualTo(200);
      JsonObject body = new JsonObject(r.body());
      batches.add(
          body.getJsonArray("value")
              .getString(body.getJsonArray("key").getList().indexOf("batch")));
    }

    assertThat(batches)
        .as("the batch each sample was in")
        .anySatisfy(batch -> assertThat(batch).contains("A").contains("B"));
    assertThat(replica.metric("pipeserve_op_batch_items_max", "op=\"batcher\""))
        .as("the op process's largest batch")
        .isGreaterThanOrEqualTo(2);
  }

  private CompletableFuture<HttpResponse<String>> post(PipelineServer gateway, String body) {
    return http.sendAsync(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.httpPort() + "/mates/prediction"))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
