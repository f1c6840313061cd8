package io.pipeserve.e2e.scenarios;

import static io.pipeserve.e2e.scenarios.OcrPipeline.child;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.pipeserve.e2e.cluster.Cluster;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 3: the rec op scaled from one pod to two takes work on both (the gateways find the new
 * pod through the op's headless Service); one of them killed while requests flow loses no request
 * (the gateway sends the samples it had there to the other), and it serves again once restarted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleAndCrashTest {
  private static final int CLIENTS = 4;

  @RegisterExtension
  static final OcrScenario scenario = new OcrScenario("e2e-scale", OcrPipeline.replicas(1, 1));

  @Test
  @Order(1)
  void recScaledToTwo_bothPodsReceiveWork() throws Exception {
    OcrPipeline ocr = scenario.pipeline();
    ocr.edit(spec -> child(child(spec, "placement"), "rec").put("replicas", 2));
    var ready = ocr.awaitReady();
    List<Pod> recs = ocr.pods("rec");
    assertThat(recs)
        .as(
            ready.getMetadata().getGeneration()
                + " "
                + ready.getAdditionalProperties().get("status"))
        .hasSize(2)
        .allMatch(OcrPipeline::isReady);
    Map<String, Long> before = samples(recs);

    try (OcrLoad load = OcrLoad.start(ocr::http, CLIENTS)) {
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                Map<String, Long> now = samples(recs);
                for (Pod rec : recs) {
                  String name = rec.getMetadata().getName();
                  assertThat(now.get(name)).as(name + " samples").isGreaterThan(before.get(name));
                }
              });
      assertThat(load.failures()).isEmpty();
    }
  }

  @Test
  @Order(2)
  void recPodKilledMidLoad_noRequestFails() throws Exception {
    OcrPipeline ocr = scenario.pipeline();
    Cluster cluster = scenario.cluster();
    List<Pod> recs = ocr.pods("rec");
    assertThat(recs).hasSize(2);
    Pod victim = recs.get(0);
    String victimName = victim.getMetadata().getName();
    int restartsBefore = victim.getStatus().getContainerStatuses().get(0).getRestartCount();

    OcrLoad load = OcrLoad.start(ocr::http, CLIENTS);
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> load.answered() >= 8);
      cluster.crash(ocr.namespace(), victimName);
      // Back to two ready rec pods: the same one restarted (a node restarts the container), or a
      // new one in its place (a cluster replaces a force-deleted pod).
      await()
          .atMost(cluster.readyTimeout())
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                List<Pod> now = ocr.pods("rec");
                boolean replacedOrRestarted =
                    now.stream()
                        .noneMatch(
                            p ->
                                p.getMetadata().getName().equals(victimName)
                                    && p.getStatus().getContainerStatuses().get(0).getRestartCount()
                                        == restartsBefore);
                return replacedOrRestarted
                    && now.size() == 2
                    && now.stream().allMatch(OcrPipeline::isReady);
              });
      long afterRecovery = load.answered();
      await().atMost(Duration.ofSeconds(60)).until(() -> load.answered() >= afterRecovery + 8);
    } finally {
      load.close();
    }

    assertThat(load.failures()).as("failed or wrong answers").isEmpty();
    assertThat(load.answered()).isGreaterThanOrEqualTo(16);
  }

  private static Map<String, Long> samples(List<Pod> pods) throws Exception {
    Map<String, Long> samples = new HashMap<>();
    for (Pod pod : pods) {
      String name = pod.getMetadata().getName();
      samples.put(
          name,
          Metrics.samples(
              scenario.cluster().pod(scenario.pipeline().namespace(), name, OcrPipeline.HTTP_PORT),
              "rec"));
    }
    return samples;
  }
}
