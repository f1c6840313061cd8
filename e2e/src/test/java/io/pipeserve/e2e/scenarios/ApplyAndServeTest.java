package io.pipeserve.e2e.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario 1, a user's first day: {@code kubectl apply} of the OCR manifest, unchanged (two gateway
 * pods running det and cls, two rec pods reached over gRPC, models downloaded by init containers
 * and checked against their SHA-256), Ready within the bound, and every sample image read right
 * through the gateway Service, over HTTP and gRPC.
 */
class ApplyAndServeTest {
  private static final Logger LOG = LoggerFactory.getLogger(ApplyAndServeTest.class);

  @RegisterExtension static final OcrScenario scenario = new OcrScenario("e2e-apply", spec -> {});

  @Test
  @SuppressWarnings("unchecked")
  void ready_reportingEveryPodOfTheManifest_andWhereItIsServed() {
    OcrPipeline ocr = scenario.pipeline();
    GenericKubernetesResource ready = scenario.ready();
    LOG.info("Ready {} s after the apply", scenario.readyAfter().toSeconds());
    assertThat(ocr.pods(null)).hasSize(2).allMatch(OcrPipeline::isReady);
    assertThat(ocr.pods("rec")).hasSize(2).allMatch(OcrPipeline::isReady);
    Map<String, Object> allReady = Map.of("desired", 2, "ready", 2, "updated", 2);
    assertThat(OcrPipeline.status(ready, "gateway")).isEqualTo(allReady);
    assertThat((List<Object>) OcrPipeline.status(ready, "ops"))
        .contains(
            Map.of(
                "name",
                "rec",
                "runsIn",
                "own-pods",
                "replicas",
                allReady,
                "endpoints",
                "ocr-rec.e2e-apply.svc:" + OcrPipeline.GRPC_PORT));
    assertThat(OcrPipeline.status(ready, "endpoints"))
        .isEqualTo(
            Map.of(
                "http", "http://ocr.e2e-apply.svc:" + OcrPipeline.HTTP_PORT,
                "grpc", "ocr.e2e-apply.svc:" + OcrPipeline.GRPC_PORT));
  }

  @ParameterizedTest
  @MethodSource("io.pipeserve.e2e.scenarios.OcrClient#images")
  void http_throughTheGatewayService_readsTheImage(String image) throws Exception {
    assertThat(OcrClient.http(scenario.pipeline().http(), image))
        .isEqualTo(OcrClient.expected(image));
  }

  @ParameterizedTest
  @MethodSource("io.pipeserve.e2e.scenarios.OcrClient#images")
  void grpc_throughTheGatewayService_readsTheImage(String image) {
    assertThat(OcrClient.grpc(scenario.pipeline().grpc(), image))
        .isEqualTo(OcrClient.expected(image));
  }
}
