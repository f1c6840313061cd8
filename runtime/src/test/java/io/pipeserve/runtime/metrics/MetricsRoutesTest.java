package io.pipeserve.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pipeserve.runtime.server.PipelineServer;
import io.pipeserve.runtime.testing.Specs;
import io.pipeserve.runtime.testing.TestOps;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GET /metrics on a real server: the counters after 4 good requests and 1 product error (err_no
 * 57).
 */
class MetricsRoutesTest {
  private static final String YAML =
      """
      server: {name: ocr, httpPort: 0, grpcPort: 0, adminPort: 0, workers: 2}
      ops:
        - {name: a, kind: java, className: %s}
        - {name: b, inputs: [a], kind: java, className: %s, params: {suffix: "-b"}}
      """
          .formatted(TestOps.Scripted.class.getName(), TestOps.Append.class.getName());

  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;
  private PipelineServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(Duration.ofSeconds(1));
    }
  }

  @Test
  void metrics_countRequestsFailuresLatenciesAndBatches() throws Exception {
    server = PipelineServer.start(Specs.yaml(YAML), dir, "127.0.0.1");
    for (int i = 0; i < 4; i++) {
      predict("{\"key\":[\"text\"],\"value\":[\"x\"]}");
    }
    predict("{\"key\":[\"text\",\"action\",\"err_no\"],\"value\":[\"x\",\"product\",\"57\"]}");

    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> value(scrape(server.httpPort()), "pipeserve_op_queue_seconds_count", "b") == 4);
    String text = scrape(server.httpPort());
    assertThat(value(text, "pipeserve_requests_total", "ocr")).isEqualTo(5);
    assertThat(value(text, "pipeserve_request_failures_total", "err_no=\"57\"")).isEqualTo(1);
    assertThat(value(text, "pipeserve_request_latency_seconds_count", "ocr")).isEqualTo(5);
    assertThat(text).contains("pipeserve_request_latency_seconds_bucket{");
    assertThat(value(text, "pipeserve_op_latency_seconds_count", "op=\"a\"")).isEqualTo(4);
    assertThat(value(text, "pipeserve_op_batch_items_count", "op=\"a\"")).isEqualTo(4);
    assertThat(value(text, "pipeserve_op_batch_items_sum", "op=\"a\"")).isEqualTo(4);
    assertThat(value(text, "pipeserve_channel_depth", "op=\"b\"")).isZero();
    assertThat(value(text, "pipeserve_requests_in_flight", "ocr")).isZero();
  }

  @Test
  void metrics_areServedOnTheAdminPortToo() throws Exception {
    server = PipelineServer.start(Specs.yaml(YAML), dir, "127.0.0.1");
    predict("{\"key\":[\"text\"],\"value\":[\"x\"]}");

    assertThat(server.adminPort()).isNotEqualTo(server.httpPort());
    assertThat(value(scrape(server.adminPort()), "pipeserve_requests_total", "ocr")).isEqualTo(1);
  }

  /** The value of the first sample of {@code metric} whose labels contain {@code label}. */
  private static double value(String text, String metric, String label) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(metric) + "\\{([^}]*)\\} (\\S+)$").matcher(text);
    while (m.find()) {
      if (m.group(1).contains(label)) {
        return Double.parseDouble(m.group(2));
      }
    }
    return -1;
  }

  private String scrape(int port) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    return response.body();
  }

  private void predict(String json) throws Exception {
    http.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.httpPort() + "/ocr/prediction"))
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
