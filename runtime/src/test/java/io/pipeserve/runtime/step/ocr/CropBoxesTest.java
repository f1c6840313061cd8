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

class CropBoxesTest {
  private final Step crop = TestSteps.create("crop-boxes", Map.of());

  private static Tensor box(float x0, float y0, float x1, float y1) {
    return Tensor.of(new float[] {x0, y0, x1, y0, x1, y1, x0, y1}, 1, 4, 2);
  }

  @SuppressWarnings("unchecked")
  private List<Tensor> crops(Sample sample) {
    crop.apply(sample);
    return (List<Tensor>) sample.get("crops");
  }

  @Test
  void cutsOutEachBoxAsAnUprightImage() {
    // Black over columns [20, 60), rows [10, 20): a box around it with white margins.
    Tensor image = TestImages.withBlackRect(50, 100, 20, 10, 60, 20);

    List<Tensor> crops = crops(sample(Map.of("image", image, "boxes", box(10, 5, 70, 25))));

    assertThat(crops).hasSize(1);
    Tensor c = crops.get(0);
    assertThat(c.shape()).containsExactly(20, 60, 3);
    assertThat(TestImages.pixel(c, 10, 30)).containsExactly(0, 0, 0);
    assertThat(TestImages.pixel(c, 1, 1)).containsExactly(255, 255, 255);
  }

  @Test
  void turnsTallCropsAsVerticalText() {
    Tensor image = TestImages.solid(100, 100, 255, 255, 255);

    List<Tensor> crops = crops(sample(Map.of("image", image, "boxes", box(10, 10, 30, 70))));

    // 20 wide, 60 tall: 3 >= 1.5, so turned 90° to 60 wide, 20 tall.
    assertThat(crops.get(0).shape()).containsExactly(20, 60, 3);
  }

  @Test
  void absentBoxesGiveNoCrops() {
    Sample sample = sample(Map.of("image", TestImages.solid(10, 10, 0, 0, 0)));

    assertThat(crops(sample)).isEmpty();
  }

  @Test
  void boxesOfTheWrongShapeAreATypeError() {
    Sample sample =
        sample(
            Map.of(
                "image", TestImages.solid(10, 10, 0, 0, 0),
                "boxes", Tensor.of(new float[6], 1, 3, 2)));

    assertFails(() -> crop.apply(sample), ErrorCode.TYPE_ERROR, "field 'boxes'", "[1, 3, 2]");
  }
}
