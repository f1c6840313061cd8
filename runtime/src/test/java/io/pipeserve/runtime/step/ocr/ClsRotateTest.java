package io.pipeserve.runtime.step.ocr;

import static io.pipeserve.runtime.step.TestSteps.assertFails;
import static io.pipeserve.runtime.step.TestSteps.sample;
import static org.assertj.core.api.Assertions.assertThat;

import io.pipeserve.runtime.error.ErrorCode;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.step.Step;
import io.pipeserve.runtime.step.TestSteps;
import io.pipeserve.runtime.step.image.TestImages;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClsRotateTest {
  private final Step rotate = TestSteps.create("cls-rotate", Map.of());

  /** A crop that is black only in its top-left pixel, so a 180° turn is visible. */
  private static Tensor marked() {
    return TestImages.withBlackRect(4, 8, 0, 0, 1, 1);
  }

  @SuppressWarnings("unchecked")
  private static List<Tensor> crops(Sample sample) {
    return (List<Tensor>) sample.get("crops");
  }

  @Test
  void turnsCropsTheClassifierCallsUpsideDown() {
    Sample sample =
        sample(
            Map.of(
                "crops", List.of(marked(), marked(), marked()),
                "cls", Tensor.of(new float[] {0.02f, 0.98f, 0.97f, 0.03f, 0.15f, 0.85f}, 3, 2)));

    rotate.apply(sample);

    assertThat(TestImages.pixel(crops(sample).get(0), 3, 7)).containsExactly(0, 0, 0);
    assertThat(TestImages.pixel(crops(sample).get(1), 0, 0)).containsExactly(0, 0, 0);
    // 0.85 is not above the 0.9 threshold: left as it is.
    assertThat(TestImages.pixel(crops(sample).get(2), 0, 0)).containsExactly(0, 0, 0);
    assertThat(sample.tensor("angles").ints()).containsExactly(180, 0, 0);
  }

  @Test
  void noCropsAndNoClassifierOutputIsFine() {
    Sample sample = sample(Map.of("crops", List.of()));

    rotate.apply(sample);

    assertThat(crops(sample)).isEmpty();
    assertThat(sample.tensor("angles").shape()).containsExactly(0);
  }

  @Test
  void cropsWithoutClassifierOutputAreAnInputError() {
    Sample sample = sample(Map.of("crops", List.of(marked())));

    assertFails(() -> rotate.apply(sample), ErrorCode.INPUT_PARAMS_ERROR, "missing field 'cls'");
  }

  @Test
  void aRowCountOtherThanTheCropCountIsATypeError() {
    Sample sample =
        sample(Map.of("crops", List.of(marked()), "cls", Tensor.of(new float[4], 2, 2)));

    assertFails(() -> rotate.apply(sample), ErrorCode.TYPE_ERROR, "'cls' has 2 rows", "1 items");
  }
}
