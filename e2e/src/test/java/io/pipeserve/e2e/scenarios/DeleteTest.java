package io.pipeserve.e2e.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pipeserve.e2e.cluster.Cluster;
import io.pipeserve.e2e.cluster.ClusterExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 5: {@code kubectl delete} of the Pipeline stops every process of it and leaves nothing
 * behind of what was made for it: ConfigMap, Deployments, Services, pods, endpoint slices.
 */
@ExtendWith(ClusterExtension.class)
class DeleteTest {
  private static Cluster cluster;
  private static OcrPipeline ocr;

  @BeforeAll
  static void apply(Cluster c) {
    cluster = c;
    ocr = new OcrPipeline(cluster, "e2e-delete");
    ocr.apply(OcrPipeline.replicas(1, 1));
    ocr.awaitReady();
  }

  @AfterAll
  static void remove() {
    if (ocr != null) {
      ocr.remove();
    }
  }

  @Test
  void deletedPipeline_stopsEveryProcess_andLeavesNoObjectBehind() {
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
