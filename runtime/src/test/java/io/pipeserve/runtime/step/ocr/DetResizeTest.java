package io.pipeserve.runtime.step.ocr;

import static io.pipeserve.runtime.step.TestSteps.assertFails;
import static io.pipeserve.runtime.step.TestSteps.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pipeserve.runtime.error.ErrorCode;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.step.Step;
import io.pipeserve.runtime.step.TestSteps;
import io.pipeserve.runtime.step.image.TestImages;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DetResizeTest {
  private final Step resize = TestSteps.create("det-resize", Map.of());

  private Sample resized(Tensor image) {
    Sample sample = sample(Map.of("image", image));
    resize.apply(sample);
    return sample;
  }

  @Test
  void roundsEachSideToAMultipleOf32() {
    Sample sample = resized(TestImages.solid(50, 100, 0, 0, 0));

    assertThat(sample.tensor("x").shape()).containsExactly(1, 3, 64, 96);
    assertThat(sample.tensor("det_shape").floats()).containsExactly(50f, 100f, 64 / 50f, 0.96f);
  }

  @Test
  void roundsHalfToEvenAsPython() {
    // 80 / 32 = 2.5: Python's round gives 2, so 64 (not 96).
    assertThat(resized(TestImages.solid(80, 32, 0, 0, 0)).tensor("x").shape())
        .containsExactly(1, 3, 64, 32);
  }

  @Test
  void scalesTheLongestSideDownToTheLimit() {
    Sample sample = sample(Map.of("image", TestImages.solid(100, 400, 0, 0, 0)));
    TestSteps.create("det-resize", Map.of("limitSideLen", 200)).apply(sample);

    // 400 x 0.5 = 200 → 192; 100 x 0.5 = 50 → 64.
    assertThat(sample.tensor("x").shape()).containsExactly(1, 3, 64, 192);
  }

  @Test
  void limitTypeMinScalesTheShortestSideUp() {
    Sample sample = sample(Map.of("image", TestImages.solid(40, 80, 0, 0, 0)));
    TestSteps.create("det-resize", Map.of("limitType", "min", "limitSideLen", 64)).apply(sample);

    assertThat(sample.tensor("x").shape()).containsExactly(1, 3, 64, 128);
  }

  @Test
  void normalizesEachBgrChannelWithTheImageNetMeanAndStd() {
    float[] x = resized(TestImages.solid(32, 32, 255, 0, 255)).tensor("x").floats();
    int plane = 32 * 32;

    assertThat(x[0]).isCloseTo((1 - 0.485f) / 0.229f, within(1e-4f));
    assertThat(x[plane]).isCloseTo(-0.456f / 0.224f, within(1e-4f));
    assertThat(x[2 * plane + plane - 1]).isCloseTo((1 - 0.406f) / 0.225f, within(1e-4f));
  }

  @Test
  void aFieldThatIsNoImageIsATypeError() {
    assertFails(
        () -> resize.apply(sample(Map.of("image", Tensor.of(new float[] {1}, 1)))),
        ErrorCode.TYPE_ERROR,
        "field 'image'",
        "[height, width, 3]");
  }

  @Test
  void anUnknownLimitTypeIsAStartUpError() {
    assertThatThrownBy(() -> TestSteps.create("det-resize", Map.of("limitType", "long")))
        .hasMessageContaining("params.limitType: must be 'max' or 'min'");
  }
}
