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

class DbPostprocessTest {
  private static final int H = 64;
  private static final int W = 96;

  private final Step post = TestSteps.create("db-postprocess", Map.of());

  /** A detection map with the given probability over rows [y0, y1) and columns [x0, x1). */
  private static void fill(float[] map, int x0, int y0, int x1, int y1, float p) {
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        map[y * W + x] = p;
      }
    }
  }

  /** The source image was twice the map's size. */
  private static Sample detected(float[] map) {
    return sample(
        Map.of(
            "maps", Tensor.of(map, 1, 1, H, W),
            "det_shape", Tensor.of(new float[] {2 * H, 2 * W, 0.5f, 0.5f}, 4)));
  }

  private Tensor boxes(Sample sample) {
    post.apply(sample);
    return sample.tensor("boxes");
  }

  @Test
  void findsATextRegionGrowsItAndMapsItToSourcePixels() {
    float[] map = new float[H * W];
    fill(map, 10, 20, 60, 30, 1f);

    Tensor boxes = boxes(detected(map));

    // Min-area rectangle of the pixel centres: 49 x 9 around (34.5, 24.5). Unclip grows each side
    // by 49 * 9 * 1.5 / 116 = 5.70; then x 2 to source pixels, rounded half to even.
    assertThat(boxes.shape()).containsExactly(1, 4, 2);
    assertThat(boxes.floats()).containsExactly(9, 29, 129, 29, 129, 69, 9, 69);
  }

  @Test
  void putsBoxesInReadingOrder() {
    float[] map = new float[H * W];
    fill(map, 50, 40, 90, 50, 1f); // second line
    fill(map, 50, 10, 90, 20, 1f); // first line, right
    fill(map, 5, 12, 40, 22, 1f); // first line, left: top within 10 pixels

    float[] b = boxes(detected(map)).floats();

    // Top-left corners (x, y) of boxes 0, 1, 2 are at b[0..1], b[8..9], b[16..17].
    assertThat(b[0]).as("first: the left box of the first line").isLessThan(40);
    assertThat(b[1]).as("it starts lower than the right box, yet reads first").isGreaterThan(b[9]);
    assertThat(b[8]).as("second: the right box of the first line").isGreaterThan(80);
    assertThat(b[17]).as("third: the second line").isGreaterThan(b[1] + 40);
  }

  @Test
  void dropsRegionsScoringBelowBoxThresh() {
    float[] map = new float[H * W];
    fill(map, 10, 20, 60, 30, 0.5f);

    assertThat(boxes(detected(map)).shape()).containsExactly(0, 4, 2);
  }

  @Test
  void dropsRegionsSmallerThanMinSize() {
    float[] map = new float[H * W];
    fill(map, 10, 20, 12, 22, 1f);

    assertThat(boxes(detected(map)).shape()).containsExactly(0, 4, 2);
  }

  @Test
  void anAbsentMapMeansNoBoxes() {
    Sample sample = sample(Map.of("det_shape", Tensor.of(new float[] {10, 10, 1, 1}, 4)));

    assertThat(boxes(sample).shape()).containsExactly(0, 4, 2);
  }

  @Test
  void ignoresZeroPaddingFromBatching() {
    // A map padded to 64 x 128 for a 64 x 96 image: the padding must not change the box.
    float[] map = new float[H * W];
    fill(map, 10, 20, 60, 30, 1f);
    float[] padded = new float[H * 128];
    for (int y = 0; y < H; y++) {
      System.arraycopy(map, y * W, padded, y * 128, W);
    }
    Sample sample =
        sample(
            Map.of(
                "maps", Tensor.of(padded, 1, 1, H, 128),
                "det_shape", Tensor.of(new float[] {2 * H, 2 * W, 0.5f, 0.5f}, 4)));

    assertThat(boxes(sample).floats()).containsExactly(9, 29, 129, 29, 129, 69, 9, 69);
  }

  @Test
  void aMapOfTheWrongShapeIsATypeError() {
    Sample sample =
        sample(
            Map.of(
                "maps", Tensor.of(new float[4], 2, 2),
                "det_shape", Tensor.of(new float[] {2, 2, 1, 1}, 4)));

    assertFails(() -> post.apply(sample), ErrorCode.TYPE_ERROR, "field 'maps'", "[2, 2]");
  }

  @Test
  void aMissingShapeIsAnInputError() {
    Sample sample = sample(Map.of("maps", Tensor.of(new float[H * W], 1, 1, H, W)));

    assertFails(() -> post.apply(sample), ErrorCode.INPUT_PARAMS_ERROR, "'det_shape'");
  }
}
