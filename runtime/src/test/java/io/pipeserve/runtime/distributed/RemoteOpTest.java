package io.pipeserve.runtime.distributed;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeserve.runtime.server.PipelineServer;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An op in a process of its own, reached by a gateway in this JVM. */
class RemoteOpTest {
  private static final String APPEND = TestOps.Append.class.getName();
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;
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

  private Path spec(String endpoints) throws Exception {
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
            endpoints: %2$s
          - {name: c, inputs: [b], kind: java, className: %1$s, params: {suffix: "-c"}}
        """
            .formatted(APPEND, endpoints);
    Path file = dir.resolve("chain.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void remoteOp_transformsTheSampleBetweenLocalOps() throws Exception {
    int port = OpProcess.freePort("127.0.0.2");
    Path file = spec("{addresses: ['127.0.0.2:" + port + "']}");
    replica = OpProcess.start(file, "b", "127.0.0.2", port).awaitReady();
    gateway = PipelineServer.start(Specs.yaml(Files.readString(file)), dir, "127.0.0.1");

    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(gateway::isReady);
    HttpResponse<String> response = post("{\"key\":[\"text\"],\"value\":[\"x\"]}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(response.body()).getJsonArray("value")).containsExactly("x-a-b-c");
  }

  private HttpResponse<String> post(String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.httpPort() + "/chain/prediction"))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
