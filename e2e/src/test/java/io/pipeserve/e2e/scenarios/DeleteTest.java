package io.pipeserve.e2e.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pipeserve.e2e.cluster.Cluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 5: {@code kubectl delete} of the Pipeline stops every process of it and leaves nothing
 * behind of what was made for it: ConfigMap, Deployments, Services, pods, endpoint slices.
 */
class DeleteTest {

  @RegisterExtension
  static final OcrScenario scenario = new OcrScenario("e2e-delete", OcrPipeline.replicas(1, 1));

  @Test
  void deletedPipeline_stopsEveryProcess_andLeavesNoObjectBehind() {
    OcrPipeline ocr = scenario.pipeline();
    Cluster cluster = scenario.cluster();
    String ns = ocr.namespace();
    KubernetesClient client = cluster.client();
    assertThat(cluster.runningProcesses(ns)).isGreaterThanOrEqualTo(2);
    assertThat(client.apps().deployments().inNamespace(ns).list().getItems()).hasSize(2);

    ocr.delete();

    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              assertThat(cluster.runningProcesses(ns)).as("processes").isZero();
              assertThat(client.pods().inNamespace(ns).list().getItems()).as("pods").isEmpty();
              assertThat(client.apps().deployments().inNamespace(ns).list().getItems())
                  .as("deployments")
                  .isEmpty();
              assertThat(client.services().inNamespace(ns).list().getItems())
                  .as("services")
                  .isEmpty();
              assertThat(
                      client
                          .configMaps()
                          .inNamespace(ns)
                          .withLabel(OcrPipeline.INSTANCE)
                          .list()
                          .getItems())
                  .as("config maps")
                  .isEmpty();
              assertThat(client.discovery().v1().endpointSlices().inNamespace(ns).list().getItems())
                  .as("endpoint slices")
                  .isEmpty();
            });
    assertThat(ocr.get()).isNull();
  }
}
