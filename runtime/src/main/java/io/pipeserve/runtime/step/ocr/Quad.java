package io.pipeserve.runtime.step.ocr;

import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.tensor.DType;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A text box: four corners, normally top-left, top-right, bottom-right, bottom-left. Boxes travel
 * between steps as an FP32 tensor [n, 4, 2] of (x, y) in source-image pixels.
 */
final class Quad {
  private final double[] xs;
  private final double[] ys;

  Quad(double[] xs, double[] ys) {
    this.xs = xs.clone();
    this.ys = ys.clone();
  }

  double x(int i) {
    return xs[i];
  }

  double y(int i) {
    return ys[i];
  }

  double distance(int i, int j) {
    return Math.hypot(xs[i] - xs[j], ys[i] - ys[j]);
  }

  /**
   * PaddleOCR's order_points_clockwise: top-left has the smallest x + y, bottom-right the largest
   * (first corner on ties, as np.argmin). Null when the corners coincide so that no order exists.
   */
  Quad orderedClockwise() {
    int tl = 0;
    int br = 0;
    for (int i = 1; i < 4; i++) {
      if (xs[i] + ys[i] < xs[tl] + ys[tl]) {
        tl = i;
      }
      if (xs[i] + ys[i] > xs[br] + ys[br]) {
        br = i;
      }
    }
    if (tl == br) {
      return null;
    }
    int[] rest = new int[2];
    int n = 0;
    for (int i = 0; i < 4; i++) {
      if (i != tl && i != br) {
        rest[n++] = i;
      }
    }
    // Of the remaining two, top-right has the smaller y - x (on a tie PaddleOCR would take the
    // same corner twice; keeping both corners is the sane reading).
    boolean firstIsTopRight = ys[rest[0]] - xs[rest[0]] <= ys[rest[1]] - xs[rest[1]];
    int tr = firstIsTopRight ? rest[0] : rest[1];
    int bl = firstIsTopRight ? rest[1] : rest[0];
    return new Quad(
        new double[] {xs[tl], xs[tr], xs[br], xs[bl]},
        new double[] {ys[tl], ys[tr], ys[br], ys[bl]});
  }

  /** Corners truncated to whole pixels inside [0, width - 1] x [0, height - 1]. */
  Quad clippedTo(int width, int height) {
    double[] cx = new double[4];
    double[] cy = new double[4];
    for (int i = 0; i < 4; i++) {
      cx[i] = (int) Math.min(Math.max(xs[i], 0), width - 1);
      cy[i] = (int) Math.min(Math.max(ys[i], 0), height - 1);
    }
    return new Quad(cx, cy);
  }

  static Tensor toTensor(List<Quad> quads) {
    float[] data = new float[quads.size() * 8];
    for (int b = 0; b < quads.size(); b++) {
      for (int i = 0; i < 4; i++) {
        data[b * 8 + i * 2] = (float) quads.get(b).xs[i];
        data[b * 8 + i * 2 + 1] = (float) quads.get(b).ys[i];
      }
    }
    return Tensor.of(data, quads.size(), 4, 2);
  }

  /** The boxes in the field; an absent field means none (the detector found no text). */
  static List<Quad> fromSample(Sample sample, String field) {
    if (!sample.has(field)) {
      return List.of();
    }
    Tensor t = sample.tensor(field);
    if (t.dtype() != DType.FP32 || t.rank() != 3 || t.dim(1) != 4 || t.dim(2) != 2) {
      throw PipelineException.type(
          "field '"
              + field
              + "' must be FP32 boxes [n, 4, 2], got "
              + t.dtype()
              + " "
              + Arrays.toString(t.shape()));
    }
    float[] v = t.floats();
    List<Quad> quads = new ArrayList<>();
    for (int b = 0; b < t.dim(0); b++) {
      double[] xs = new double[4];
      double[] ys = new double[4];
      for (int i = 0; i < 4; i++) {
        xs[i] = v[b * 8 + i * 2];
        ys[i] = v[b * 8 + i * 2 + 1];
      }
      quads.add(new Quad(xs, ys));
    }
    return quads;
  }
}
