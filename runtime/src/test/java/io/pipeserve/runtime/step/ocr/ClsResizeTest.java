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

class ClsResizeTest {
  private final Step resize = TestSteps.create("cls-resize", Map.of());

  @Test
  void resizesEveryCropToHeight48AndPadsToWidth192() {
    List<Tensor> crops =
        List.of(TestImages.solid(24, 96, 255, 255, 255), TestImages.solid(48, 48, 255, 255, 255));
    Sample sample = sample(Map.of("crops", crops));

    resize.apply(sample);

    Tensor x = sample.tensor("x");
    assertThat(x.shape()).containsExactly(2, 3, 48, 192);
    float[] v = x.floats();
    int item = 3 * 48 * 192;
    // The first crop (ratio 4) fills all 192 columns; white normalizes to 1.
    assertThat(v[191]).isEqualTo(1f);
    // The second (ratio 1) fills 48 columns; the rest is zero padding.
    assertThat(v[item + 47]).isEqualTo(1f);
    assertThat(v[item + 48]).isEqualTo(0f);
  }

  @Test
  void blackNormalizesToMinusOne() {
    Sample sample = sample(Map.of("crops", List.of(TestImages.solid(48, 192, 0, 0, 0))));

    resize.apply(sample);

    assertThat(sample.tensor("x").floats()).containsOnly(-1f);
  }

  @Test
  void noCropsGiveZeroItems() {
    Sample sample = sample(Map.of("crops", List.of()));

    resize.apply(sample);

    assertThat(sample.tensor("x").shape()).containsExactly(0, 3, 48, 192);
  }

  @Test
  void aCropThatIsNoImageIsATypeError() {
    Sample sample = sample(Map.of("crops", List.of(Tensor.of(new float[] {1}, 1))));

    assertFails(() -> resize.apply(sample), ErrorCode.TYPE_ERROR, "field 'crops'[0]");
  }
}
