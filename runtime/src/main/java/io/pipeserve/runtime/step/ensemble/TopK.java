package io.pipeserve.runtime.step.ensemble;

import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.step.Params;
import io.pipeserve.runtime.step.Step;
import io.pipeserve.runtime.step.StepContext;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.Arrays;
import java.util.Comparator;

/**
 * {@code top-k}: the k largest values along the last axis, largest first, and their indices (FP32
 * and INT64, last axis k). Equal values keep index order. When the axis has fewer than k entries,
 * all of them are returned.
 */
public final class TopK implements Step {
  private final String input;
  private final String output;
  private final String indices;
  private final int k;

  private TopK(String input, String output, String indices, int k) {
    this.input = input;
    this.output = output;
    this.indices = indices;
    this.k = k;
  }

  public static TopK create(Params params, StepContext context) {
    String input = params.string("input", "prob");
    String output = params.string("output", "values");
    String indices = params.string("indices", "indices");
    int k = params.integer("k", 5);
    if (k < 1) {
      throw params.invalid("k", "must be >= 1, got " + k);
    }
    return new TopK(input, output, indices, k);
  }

  @Override
  public void apply(Sample sample) {
    Tensor scores = LastAxis.read(sample, input);
    if (scores == null) {
      return;
    }
    int width = LastAxis.width(scores);
    int kept = Math.min(k, width);
    int rows = LastAxis.rows(scores);
    float[] in = scores.floats();
    float[] values = new float[rows * kept];
    long[] positions = new long[rows * kept];
    Integer[] order = new Integer[width];
    for (int row = 0; row < rows; row++) {
      int start = row * width;
      for (int i = 0; i < width; i++) {
        order[i] = i;
      }
      // A stable sort, so equal values stay in index order.
      Arrays.sort(order, Comparator.comparingDouble(i -> -in[start + i]));
      for (int j = 0; j < kept; j++) {
        values[row * kept + j] = in[start + order[j]];
        positions[row * kept + j] = order[j];
      }
    }
    long[] shape = LastAxis.withLastAxis(scores, kept);
    sample.put(output, Tensor.of(values, shape));
    sample.put(indices, Tensor.of(positions, shape));
  }
}
