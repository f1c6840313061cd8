package io.pipeserve.e2e.scenarios;

import static io.pipeserve.e2e.scenarios.OcrPipeline.child;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 2: tracing turned on for a running pipeline by editing {@code spec.trace.level}. The
 * operator pushes the change to every gateway pod through the trace protocol: TraceSynced, the pods
 * trace the requests they serve from then on into their trace files, and no pod is replaced and no
 * process restarted.
 */
class LiveTraceChangeTest {
  private static final String TRACE_FILE = "trace.json";
  private static final String FIRST_TRACE_FILE = "/var/lib/pipeserve/trace.json.0";

  /** Two gateways tracing nothing yet, into a file set from the start (read at pod start). */
  @RegisterExtension
  static final OcrScenario scenario =
      new OcrScenario(
          "e2e-trace",
          OcrPipeline.replicas(2, 1)
              .andThen(
                  spec ->
                      child(spec, "trace")
                          .putAll(
                              Map.of(
                                  "level",
                                  List.of("OFF"),
                                  "rate",
                                  1,
                                  "file",
                                  TRACE_FILE,
                                  "logFrequency",
                                  1))));

  @Test
  void traceLevelEdited_reachesEveryGateway_tracesRequests_withoutARestart() throws Exception {
    OcrPipeline ocr = scenario.pipeline();
    List<Pod> gateways = ocr.pods(null);
    List<String> before = ocr.podIdentities();
    assertThat(gateways).hasSize(2);
    for (Pod gateway : gateways) {
      OcrClient.http(address(gateway, OcrPipeline.HTTP_PORT), "notice.png");
      assertThat(traceFile(gateway)).as("trace file while tracing is off").isNull();
    }

    long generation =
        ocr.edit(spec -> child(spec, "trace").put("level", List.of("TIMESTAMPS")))
            .getMetadata()
            .getGeneration();
    GenericKubernetesResource synced = ocr.awaitCondition("TraceSynced", "True", c -> true);

    Map<?, ?> trace = (Map<?, ?>) OcrPipeline.status(synced, "trace");
    assertThat(((Number) trace.get("generation")).longValue()).isEqualTo(generation);
    @SuppressWarnings("unchecked")
    List<String> syncedPods = (List<String>) trace.get("syncedPods");
    assertThat(syncedPods)
        .containsExactlyInAnyOrderElementsOf(
            gateways.stream().map(p -> p.getMetadata().getName()).toList());
    for (Pod gateway : gateways) {
      JsonNode setting = traceSetting(address(gateway, OcrPipeline.ADMIN_PORT));
      assertThat(setting.path("trace_level").get(0).asText()).isEqualTo("TIMESTAMPS");

      assertThat(OcrClient.http(address(gateway, OcrPipeline.HTTP_PORT), "notice.png"))
          .isEqualTo(OcrClient.expected("notice.png"));
      String written =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> traceFile(gateway), content -> content != null);
      assertThat(written).contains("\"REQUEST_START\"", "\"REQUEST_END\"");
    }
    assertThat(ocr.podIdentities()).as("the same pods, none restarted").isEqualTo(before);
  }

  private static String traceFile(Pod pod) {
    return scenario
        .cluster()
        .readFile(
            scenario.pipeline().namespace(),
            pod.getMetadata().getName(),
            "runtime",
            FIRST_TRACE_FILE);
  }

  private static InetSocketAddress address(Pod pod, int port) {
    return scenario
        .cluster()
        .pod(scenario.pipeline().namespace(), pod.getMetadata().getName(), port);
  }

  private static JsonNode traceSetting(InetSocketAddress admin) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://"
                                + admin.getHostString()
                                + ":"
                                + admin.getPort()
                                + "/v2/trace/setting"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return new ObjectMapper().readTree(response.body());
  }
}
