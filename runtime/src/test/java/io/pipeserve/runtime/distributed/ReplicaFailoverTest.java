package io.pipeserve.runtime.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pipeserve.runtime.server.PipelineServer;
import io.pipeserve.runtime.testing.OpProcess;
import io.pipeserve.runtime.testing.Specs;
import io.pipeserve.runtime.testing.TestOps;
import io.vertx.core.json.JsonArray;
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
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway in this JVM and two replicas of its middle op, each a process of its own on its own
 * loopback address, while clients keep sending requests.
 */
class ReplicaFailoverTest {
  private static final int CLIENTS = 8;

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<OpProcess> replicas = new ArrayList<>();
  private PipelineServer gateway;
  private Load load;

  @BeforeEach
  void start() throws Exception {
    int port1 = OpProcess.freePort("127.0.0.2");
    int port2 = OpProcess.freePort("127.0.0.3");
    // The remote op takes 20 ms a call and runs 4 at once: a replica always has work in flight.
    String yaml =
        """
        server: {name: chain, httpPort: 0, grpcPort: 0, workers: 2}
        dag: {tracerIntervalSeconds: 0}
        ops:
          - {name: a, kind: java, className: %1$s, params: {suffix: "-a"}}
          - name: slow
            inputs: [a]
            kind: java
            className: %2$s
            params: {ms: 20}
            concurrency: 4
            endpoints: {addresses: ['127.0.0.2:%3$d', '127.0.0.3:%4$d']}
          - {name: c, inputs: [slow], kind: java, className: %1$s, params: {suffix: "-c"}}
        """
            .formatted(TestOps.Append.class.getName(), TestOps.Sleep.class.getName(), port1, port2);
    Path spec = Files.writeString(dir.resolve("chain.yaml"), yaml);
    replicas.add(OpProcess.start(spec, "slow", "127.0.0.2", port1));
    replicas.add(OpProcess.start(spec, "slow", "127.0.0.3", port2));
    for (OpProcess r : replicas) {
      r.awaitReady();
    }
    gateway = PipelineServer.start(Specs.yaml(yaml), dir, "127.0.0.1");
    await().atMost(Duration.ofSeconds(30)).until(gateway::isReady);
  }

  @AfterEach
  void stop() throws Exception {
    if (load != null) {
      load.stop();
    }
    if (gateway != null) {
      gateway.stop(Duration.ofSeconds(1));
    }
    for (OpProcess r : replicas) {
      r.close();
    }
  }

  @Test
  void killingAReplicaWhileRequestsFlow_failsNoRequest_andTheRestartedReplicaTakesWorkAgain()
      throws Exception {
    OpProcess victim = replicas.get(0);
    OpProcess survivor = replicas.get(1);
    load = new Load();
    await().atMost(Duration.ofSeconds(60)).until(() -> answered(victim) > 20);
    await().atMost(Duration.ofSeconds(60)).until(() -> answered(survivor) > 20);

    victim.kill();
    int atKill = load.answered.get();
    await().atMost(Duration.ofSeconds(60)).until(() -> load.answered.get() > atKill + 100);
    victim.restart().awaitReady();
    await().atMost(Duration.ofSeconds(60)).until(() -> answered(victim) > 20);
    load.stop();

    assertThat(load.failures).as("failed requests").isEmpty();
    assertThat(load.answered.get()).isGreaterThan(200);
    String metrics =
        http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.httpPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(OpProcess.Metrics.sum(metrics, "pipeserve_remote_resent_total", "op=\"slow\""))
        .as("samples in flight on the killed replica, sent again to the other")
        .isPositive();
    assertThat(OpProcess.Metrics.sum(metrics, "pipeserve_remote_replicas_ready", "op=\"slow\""))
        .isEqualTo(2);
  }

  @Test
  void drainingReplica_finishesItsSamplesAndGetsNoMore() throws Exception {
    OpProcess leaving = replicas.get(0);
    load = new Load();
    await().atMost(Duration.ofSeconds(60)).until(() -> answered(leaving) > 20);

    leaving.close(); // SIGTERM: drains, then exits
    int afterExit = load.answered.get();
    await().atMost(Duration.ofSeconds(60)).until(() -> load.answered.get() > afterExit + 100);
    load.stop();

    assertThat(load.failures).as("failed requests").isEmpty();
  }

  /** Requests the op process answered (its executor's count). */
  private static double answered(OpProcess replica) {
    try {
      return replica.metric("pipeserve_requests_total", "");
    } catch (Exception e) {
      return 0; // not up (yet)
    }
  }

  /** Closed-loop clients, each checking every answer it gets. */
  private final class Load {
    final AtomicInteger answered = new AtomicInteger();
    final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> clients = new ArrayList<>();

    Load() {
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        Thread t = new Thread(() -> run(client), "client-" + c);
        t.start();
        clients.add(t);
      }
    }

    private void run(int client) {
      URI uri = URI.create("http://127.0.0.1:" + gateway.httpPort() + "/chain/prediction");
      for (int i = 0; running.get(); i++) {
        String text = "r" + client + "." + i;
        String body = "{\"key\":[\"text\"],\"value\":[\"" + text + "\"]}";
        try {
          HttpResponse<String> response =
              http.send(
                  HttpRequest.newBuilder(uri)
                      .POST(HttpRequest.BodyPublishers.ofString(body))
                      .timeout(Duration.ofSeconds(60))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          JsonObject answer = new JsonObject(response.body());
          JsonArray keys = answer.getJsonArray("key");
          JsonArray values = answer.getJsonArray("value");
          int textAt = keys == null ? -1 : keys.getList().indexOf("text");
          int sleptAt = keys == null ? -1 : keys.getList().indexOf("slept");
          if (response.statusCode() != 200
              || textAt < 0
              || sleptAt < 0
              || !values.getString(textAt).equals(text + "-a-c")
              || !values.getString(sleptAt).equals("yes")) {
            failures.add(text + ": " + response.statusCode() + " " + response.body());
          } else {
            answered.incrementAndGet();
          }
        } catch (Exception e) {
          failures.add(text + ": " + e);
        }
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread t : clients) {
        t.join(90_000);
      }
    }
  }
}
