package io.pipeserve.runtime.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import io.pipeserve.runtime.server.PipelineServer;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** pipeline.tracer, /v2/profile and pipeline.profile against a real server on loopback. */
class ProfilingServerTest {
  private static final String OPS =
      """
      ops:
        - {name: a, kind: java, className: %1$s, params: {suffix: "-a"}}
        - {name: b, inputs: [a], kind: java, className: %1$s, params: {suffix: "-b"}}
      """
          .formatted(TestOps.Append.class.getName());

  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;
  private PipelineServer server;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.stop(Duration.ofSeconds(1));
    }
  }

  private void start(String dag) {
    String yaml = "server: {name: ocr, httpPort: 0, grpcPort: 0, workers: 2}\n" + dag + OPS;
    server = PipelineServer.start(Specs.yaml(yaml), dir, "127.0.0.1");
  }

  @Test
  void tracerLog_writesPaddleBlocksToPipelineTracer() throws Exception {
    Path logs = dir.resolve("logs");
    configureLogback("logback.xml", logs);
    try {
      start("dag: {tracerIntervalSeconds: 1}\n");
      for (int i = 0; i < 3; i++) {
        assertThat(predict("{\"key\":[\"text\"],\"value\":[\"x\"]}").statusCode()).isEqualTo(200);
      }
      Path tracer = logs.resolve("pipeline.tracer");

      // The requests may straddle two intervals: their blocks add up to 3 queries.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Files.exists(tracer) && queries(Files.readString(tracer)) == 3);
      String text = Files.readString(tracer);
      assertThat(text)
          .contains("[DAG] Succ: 1.0000")
          .contains("[DAG] Latency (ms): ave[")
          .contains("[a] in[")
          .contains("[b] in[")
          .contains("idle[")
          .contains("Channel (server worker num[2]):")
          .contains("chan[a] size[0/64]");
      // Routed to pipeline.tracer only, not into pipeline.log.
      assertThat(Files.readString(logs.resolve("pipeline.log"))).doesNotContain("[DAG] Succ");
    } finally {
      stop();
      server = null;
      configureLogback("logback-test.xml", null);
    }
  }

  @Test
  void profileRoute_servesTheStageTableAsJsonAndText() throws Exception {
    start("dag: {profile: true}\n");
    for (int i = 0; i < 3; i++) {
      predict("{\"key\":[\"text\"],\"value\":[\"x\"]}");
    }

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> row(profileJson(), "a", "out").getLong("calls") == 3);
    JsonObject body = profileJson();
    assertThat(body.getString("pipeline")).isEqualTo("ocr");
    JsonObject prep = row(body, "b", "prep");
    assertThat(prep.getLong("calls")).isEqualTo(3);
    assertThat(prep.getDouble("totalMs")).isGreaterThanOrEqualTo(prep.getDouble("maxMs"));
    assertThat(prep.getDouble("maxMs")).isGreaterThanOrEqualTo(prep.getDouble("minMs"));
    double ratios = 0;
    for (Object r : body.getJsonArray("rows")) {
      ratios += ((JsonObject) r).getDouble("ratio");
    }
    assertThat(ratios).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-6));
    String text = get("/v2/profile?format=text").body();
    assertThat(text).contains("Calls").contains("Total(ms)").contains("Ratio").contains("midp");
  }

  @Test
  void profileRoute_withoutDagProfile_saysHowToTurnItOn() throws Exception {
    start("");

    HttpResponse<String> response = get("/v2/profile");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("dag.profile: true");
  }

  @Test
  void pipelineProfileKey_returnsTheRequestsOwnStageTimes() throws Exception {
    start("");

    JsonObject body =
        new JsonObject(
            predict("{\"key\":[\"text\",\"pipeline.profile\"],\"value\":[\"x\",\"1\"]}").body());

    JsonArray keys = body.getJsonArray("key");
    assertThat(keys.getList()).contains("text", "pipeline.profile");
    String profile =
        body.getJsonArray("value").getString(keys.getList().indexOf("pipeline.profile"));
    assertThat(profile).startsWith("PROFILE\tpid:");
    assertThat(profile)
        .contains("dag_0:")
        .contains("dag_1:")
        .contains("prep#[a|0]_0:")
        .contains("midp#[b|0]_1:")
        .contains("postp#[b|0]_1:");
    // The ops never saw the key: their output is the usual one.
    assertThat(body.getJsonArray("value").getString(keys.getList().indexOf("text")))
        .isEqualTo("x-a-b");
  }

  @Test
  void withoutPipelineProfileKey_noProfileComesBack() throws Exception {
    start("");

    JsonObject body = new JsonObject(predict("{\"key\":[\"text\"],\"value\":[\"x\"]}").body());

    assertThat(body.getJsonArray("key").getList()).containsExactly("text");
  }

  private static int queries(String text) {
    Matcher m = Pattern.compile("Query: (\\d+)").matcher(text);
    int sum = 0;
    while (m.find()) {
      sum += Integer.parseInt(m.group(1));
    }
    return sum;
  }

  private static JsonObject row(JsonObject body, String op, String stage) {
    for (Object r : body.getJsonArray("rows")) {
      JsonObject row = (JsonObject) r;
      if (row.getString("op").equals(op) && row.getString("stage").equals(stage)) {
        return row;
      }
    }
    throw new AssertionError("no row " + op + "/" + stage + " in " + body);
  }

  private JsonObject profileJson() throws Exception {
    return new JsonObject(get("/v2/profile").body());
  }

  // The production logback.xml, with PipelineServingLogs moved to a temporary directory.
  private static void configureLogback(String resource, Path logDir) throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    if (logDir == null) {
      System.clearProperty("PIPESERVE_LOG_DIR");
    } else {
      System.setProperty("PIPESERVE_LOG_DIR", logDir.toString());
    }
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(ProfilingServerTest.class.getClassLoader().getResource(resource));
  }

  private HttpResponse<String> predict(String json) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.httpPort() + "/ocr/prediction"))
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
