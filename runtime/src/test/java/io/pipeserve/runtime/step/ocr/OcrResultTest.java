package io.pipeserve.runtime.step.ocr;

import static io.pipeserve.runtime.step.TestSteps.assertFails;
import static io.pipeserve.runtime.step.TestSteps.sample;
import static org.assertj.core.api.Assertions.assertThat;

import io.pipeserve.runtime.error.ErrorCode;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.step.Step;
import io.pipeserve.runtime.step.TestSteps;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OcrResultTest {
  private final Step result = TestSteps.create("ocr-result", Map.of());

  private static Tensor twoBoxes() {
    return Tensor.of(
        new float[] {1, 2, 30, 2, 30, 12, 1, 12, 1, 20, 30, 20, 30, 30, 1, 30}, 2, 4, 2);
  }

  @Test
  void writesLinesAsJsonInOrderDroppingLowConfidence() {
    Sample sample =
        sample(
            Map.of(
                "boxes", twoBoxes(),
                "texts", Tensor.ofStrings("Hello \"world\"", "noise"),
                "scores", Tensor.of(new float[] {0.75f, 0.25f}, 2)));

    result.apply(sample);

    assertThat(sample.string("res"))
        .isEqualTo(
            "[{\"text\":\"Hello \\\"world\\\"\",\"confidence\":0.75,"
                + "\"box\":[[1,2],[30,2],[30,12],[1,12]]}]");
  }

  @Test
  void dropScoreIsAParameter() {
    Sample sample =
        sample(
            Map.of(
                "boxes", twoBoxes(),
                "texts", Tensor.ofStrings("a", "b"),
                "scores", Tensor.of(new float[] {0.75f, 0.25f}, 2)));

    TestSteps.create("ocr-result", Map.of("dropScore", 0.1)).apply(sample);

    assertThat(sample.string("res")).contains("\"a\"", "\"b\"");
  }

  @Test
  void noLinesGiveAnEmptyArray() {
    Sample sample = sample(Map.of());

    result.apply(sample);

    assertThat(sample.string("res")).isEqualTo("[]");
  }

  @Test
  void countsThatDisagreeAreATypeError() {
    Sample sample =
        sample(
            Map.of(
                "boxes", twoBoxes(),
                "texts", Tensor.ofStrings("a"),
                "scores", Tensor.of(new float[] {0.75f}, 1)));

    assertFails(() -> result.apply(sample), ErrorCode.TYPE_ERROR, "'boxes'", "got 2, 1 and 1");
  }
}
