package io.pipeserve.runtime.gateway.http.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeserve.runtime.server.PipelineServer;
import io.pipeserve.runtime.testing.Specs;
import io.pipeserve.runtime.testing.TestOps;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trace protocol over HTTP on a real server: the cases of Triton's trace_endpoint_test and
 * L0_trace, with the pipeline and its ops as the models.
 */
class TraceRoutesTest {
  static final String PIPELINE =
      """
      server: {name: simple, httpPort: 0, grpcPort: 0, workers: 2}
      trace: {level: [TIMESTAMPS], rate: 1, count: -1, file: target/global_unittest.log}
      ops:
        - {name: det, kind: java, className: %1$s, params: {suffix: "-d"}}
        - {name: rec, inputs: [det], kind: java, className: %1$s, params: {suffix: "-r"}}
      """
          .formatted(TestOps.Append.class.getName());

  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;
  private PipelineServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(Duration.ofSeconds(1));
    }
  }

  private void start(String yaml) {
    server = PipelineServer.start(Specs.yaml(yaml), dir, "127.0.0.1");
  }

  static JsonObject triton(String level, String rate, String count, String logFrequency) {
    return new JsonObject(
        """
        {"trace_level": [%s], "trace_rate": "%s", "trace_count": "%s", "log_frequency": "%s",
         "trace_file": "target/global_unittest.log", "trace_mode": "triton"}
        """
            .formatted(level, rate, count, logFrequency));
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(int port, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonObject ok(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    return new JsonObject(response.body());
  }

  private String error(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return new JsonObject(response.body()).getString("error");
  }

  @Test
  void get_showsTheStartUpSettingsGloballyAndForEveryModel() throws Exception {
    start(PIPELINE);
    int port = server.httpPort();
    JsonObject initial = triton("\"TIMESTAMPS\"", "1", "-1", "0");

    assertThat(ok(get(port, "/v2/trace/setting"))).isEqualTo(initial);
    assertThat(ok(get(port, "/v2/models/simple/trace/setting"))).isEqualTo(initial);
    assertThat(ok(get(port, "/v2/models/det/trace/setting"))).isEqualTo(initial);
    assertThat(error(get(port, "/v2/models/does-not-exist/trace/setting"), 400))
        .isEqualTo("Request for unknown model : does-not-exist");
  }

  @Test
  void update_modelThenGlobal_globalReachesWhatTheModelDoesNotSet() throws Exception {
    start(PIPELINE);
    int port = server.httpPort();

    assertThat(error(post(port, "/v2/models/det/trace/setting", "{\"trace_file\":\"m.log\"}"), 501))
        .isEqualTo("trace file location can not be updated through network protocol");
    assertThat(ok(post(port, "/v2/models/det/trace/setting", "{\"log_frequency\":\"2\"}")))
        .isEqualTo(triton("\"TIMESTAMPS\"", "1", "-1", "2"));
    assertThat(
            ok(
                post(
                    port,
                    "/v2/trace/setting",
                    "{\"trace_level\":[\"TIMESTAMPS\",\"TENSORS\"],\"trace_rate\":\"6\"}")))
        .isEqualTo(triton("\"TIMESTAMPS\",\"TENSORS\"", "6", "-1", "0"));
    assertThat(ok(get(port, "/v2/models/det/trace/setting")))
        .isEqualTo(triton("\"TIMESTAMPS\",\"TENSORS\"", "6", "-1", "2"));
    assertThat(ok(get(port, "/v2/models/rec/trace/setting")))
        .isEqualTo(triton("\"TIMESTAMPS\",\"TENSORS\"", "6", "-1", "0"));
    assertThat(
            error(
                post(port, "/v2/models/does-not-exist/trace/setting", "{\"trace_rate\":\"1\"}"),
                400))
        .isEqualTo("Request for unknown model : does-not-exist");
  }

  @Test
  void clear_withNull_fallsBackModelToGlobalAndGlobalToStartUp() throws Exception {
    start(PIPELINE);
    int port = server.httpPort();
    post(
        port,
        "/v2/models/simple/trace/setting",
        "{\"trace_rate\":\"12\",\"log_frequency\":\"34\"}");
    post(
        port,
        "/v2/trace/setting",
        "{\"trace_rate\":\"56\",\"trace_count\":\"78\",\"trace_level\":[\"OFF\"]}");

    assertThat(ok(post(port, "/v2/trace/setting", "{\"trace_rate\":null,\"trace_count\":null}")))
        .isEqualTo(triton("\"OFF\"", "1", "-1", "0"));
    assertThat(ok(get(port, "/v2/models/simple/trace/setting")))
        .isEqualTo(triton("\"OFF\"", "12", "-1", "34"));
    assertThat(
            ok(
                post(
                    port,
                    "/v2/models/simple/trace/setting",
                    "{\"trace_rate\":null,\"trace_level\":null}")))
        .isEqualTo(triton("\"OFF\"", "1", "-1", "34"));
    assertThat(ok(get(port, "/v2/trace/setting"))).isEqualTo(triton("\"OFF\"", "1", "-1", "0"));
  }

  @Test
  void badValues_are400NamingTheSetting() throws Exception {
    start(PIPELINE);
    int port = server.httpPort();
    String[][] cases = {
      {"{\"trace_rate\":\"abc\"}", "trace_rate"},
      {"{\"trace_rate\":\"-5\"}", "trace_rate"},
      {"{\"trace_rate\":5}", "trace_rate"},
      {"{\"trace_count\":\"-2\"}", "trace_count"},
      {"{\"log_frequency\":\"-1\"}", "log_frequency"},
      {"{\"trace_level\":[\"OFF\",\"TIMESTAMPS\"]}", "trace level 'OFF'"},
      {"{\"trace_level\":[\"LOUD\"]}", "trace_level"},
      {"{\"rate\":\"1\"}", "'rate'"},
      {"{\"url\":\"http://c:4318/v1/traces\"}", "url"},
      {"not json", "JSON"}
    };
    for (String[] c : cases) {
      assertThat(error(post(port, "/v2/trace/setting", c[0]), 400)).as(c[0]).contains(c[1]);
    }
    assertThat(error(post(port, "/v2/trace/setting", "{\"trace_mode\":\"opentelemetry\"}"), 501))
        .contains("trace_mode");
    assertThat(ok(get(port, "/v2/trace/setting")))
        .isEqualTo(triton("\"TIMESTAMPS\"", "1", "-1", "0"));
  }

  @Test
  void opentelemetryMode_showsTheExporterSettings_andChangesThemAtRunTime() throws Exception {
    start(
        PIPELINE.replace(
            "file: target/global_unittest.log}",
            "mode: opentelemetry, opentelemetry: {url: \"http://a:4318/v1/traces\","
                + " resource: [team=ml]}}"));
    int port = server.httpPort();

    JsonObject changed =
        ok(
            post(
                port,
                "/v2/trace/setting",
                "{\"trace_level\":[\"OFF\"],\"trace_rate\":\"10\",\"trace_count\":\"3\","
                    + "\"url\":\"http://b:4318/v1/traces\",\"resource\":\"env=prod\"}"));

    assertThat(changed)
        .isEqualTo(
            new JsonObject(
                """
                {"trace_level": ["OFF"], "trace_rate": "10", "trace_count": "3",
                 "trace_mode": "opentelemetry", "url": "http://b:4318/v1/traces",
                 "resource": "service.name=pipeserve,team=ml,env=prod",
                 "bsp_max_queue_size": "2048", "bsp_schedule_delay": "5000",
                 "bsp_max_export_batch_size": "512"}
                """));
    assertThat(error(post(port, "/v2/models/det/trace/setting", "{\"url\":\"http://c\"}"), 400))
        .startsWith("url:");
  }

  @Test
  void separateAdminPort_changesOnlyThere_readsOnBoth() throws Exception {
    start(PIPELINE.replace("workers: 2}", "workers: 2, adminPort: 0}"));
    String change = "{\"trace_rate\":\"7\"}";

    assertThat(error(post(server.httpPort(), "/v2/trace/setting", change), 403))
        .contains("admin port");
    assertThat(error(post(server.httpPort(), "/v2/models/det/trace/setting", change), 403))
        .contains("admin port");
    assertThat(ok(post(server.adminPort(), "/v2/trace/setting", change)).getString("trace_rate"))
        .isEqualTo("7");
    assertThat(ok(get(server.httpPort(), "/v2/trace/setting")).getString("trace_rate"))
        .isEqualTo("7");
    assertThat(ok(get(server.adminPort(), "/v2/models/det/trace/setting")).getString("trace_rate"))
        .isEqualTo("7");
  }

  @Test
  void settingsChangedWhileRequestsFlow_failNoRequest() throws Exception {
    start(PIPELINE);
    int port = server.httpPort();
    List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      requests.add(
          http.sendAsync(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/simple/prediction"))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"key\":[\"text\"],\"value\":[\"r" + i + "\"]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
      if (i % 20 == 0) {
        String level = (i / 20) % 2 == 0 ? "[\"OFF\"]" : "[\"TIMESTAMPS\",\"TENSORS\"]";
        ok(
            post(
                port,
                i % 40 == 0 ? "/v2/trace/setting" : "/v2/models/det/trace/setting",
                "{\"trace_level\":" + level + ",\"trace_rate\":\"" + (i + 1) + "\"}"));
      }
    }

    for (int i = 0; i < requests.size(); i++) {
      HttpResponse<String> response = requests.get(i).get();
      assertThat(response.statusCode()).isEqualTo(200);
      JsonObject body = new JsonObject(response.body());
      assertThat(body.getInteger("err_no")).isZero();
      assertThat(body.getJsonArray("value")).containsExactly("r" + i + "-d-r");
    }
    assertThat(server.traceSettings().snapshot().version()).isEqualTo(10);
  }
}
