package io.pipeserve.e2e.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scenario 4: an edit that makes the DAG cyclic (det reads rec's output) is refused where the user
 * looks, the Pipeline's status (Ready=False, InvalidSpec, naming the cycle), and changes nothing:
 * the pods of the last good spec keep serving, unrestarted. Undoing the edit makes it Ready again.
 */
class InvalidEditTest {

  @RegisterExtension
  static final OcrScenario scenario = new OcrScenario("e2e-invalid", OcrPipeline.replicas(1, 1));

  @Test
  void cyclicEdit_isInvalidSpecNamingTheCycle_andTheOldPodsKeepServing() throws Exception {
    OcrPipeline ocr = scenario.pipeline();
    List<String> before = ocr.podIdentities();

    ocr.edit(spec -> OcrPipeline.op(spec, "det").put("inputs", new ArrayList<>(List.of("rec"))));
    GenericKubernetesResource refused =
        ocr.awaitCondition("Ready", "False", c -> "InvalidSpec".equals(c.get("reason")));

    Map<String, Object> ready = OcrPipeline.condition(refused, "Ready").orElseThrow();
    assertThat((String) ready.get("message")).contains("cycle").contains("det", "cls", "rec");
    assertThat(OcrClient.http(ocr.http(), "menu.png")).isEqualTo(OcrClient.expected("menu.png"));
    assertThat(OcrClient.grpc(ocr.grpc(), "thanks.png"))
        .isEqualTo(OcrClient.expected("thanks.png"));
    assertThat(ocr.podIdentities()).as("the same pods, none restarted").isEqualTo(before);

    ocr.edit(spec -> OcrPipeline.op(spec, "det").remove("inputs"));
    ocr.awaitReady();
    assertThat(ocr.podIdentities()).isEqualTo(before);
  }
}
