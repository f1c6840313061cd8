package io.pipeserve.runtime.step.ocr;

import static io.pipeserve.runtime.step.TestSteps.sample;
import static org.assertj.core.api.Assertions.assertThat;

import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.step.TestSteps;
import io.pipeserve.runtime.step.image.TestImages;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecResizeTest {
  private static Tensor resized(Map<String, Object> params, Tensor... crops) {
    Sample sample = sample(Map.of("crops", List.of(crops)));
    TestSteps.create("rec-resize", params).apply(sample);
    return sample.tensor("x");
  }

  @Test
  void widthFitsTheWidestCropOfTheSample() {
    Tensor x =
        resized(
            Map.of(),
            TestImages.solid(10, 20, 255, 255, 255),
            TestImages.solid(10, 101, 255, 255, 255));

    // ceil(48 x 10.1) = 485 columns; the narrow crop fills 96 and is padded with zeros.
    assertThat(x.shape()).containsExactly(2, 3, 48, 485);
    float[] v = x.floats();
    int item = 3 * 48 * 485;
    assertThat(v[95]).isEqualTo(1f);
    assertThat(v[96]).isEqualTo(0f);
    assertThat(v[item + 484]).isEqualTo(1f);
  }

  @Test
  void widthIsAtLeast320() {
    assertThat(resized(Map.of(), TestImages.solid(48, 48, 0, 0, 0)).shape())
        .containsExactly(1, 3, 48, 320);
  }

  @Test
  void widthIsCappedAtMaxWidthSqueezingLongerCrops() {
    Tensor x = resized(Map.of("maxWidth", 400), TestImages.solid(10, 1000, 255, 255, 255));

    assertThat(x.shape()).containsExactly(1, 3, 48, 400);
    assertThat(x.floats()[399]).isEqualTo(1f);
  }

  @Test
  void noCropsGiveZeroItems() {
    assertThat(resized(Map.of()).shape()).containsExactly(0, 3, 48, 320);
  }
}
