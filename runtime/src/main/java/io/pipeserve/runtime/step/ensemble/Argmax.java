package io.pipeserve.runtime.step.ensemble;

import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.step.Params;
import io.pipeserve.runtime.step.Step;
import io.pipeserve.runtime.step.StepContext;
import io.pipeserve.runtime.tensor.Tensor;

/**
 * {@code argmax}: the index of the largest value along the last axis, as INT64 with that axis
 * removed ([N, C] gives [N]). Ties go to the lowest index, as numpy's argmax.
 */
public final class Argmax implements Step {
  private final String input;
  private final String output;

  private Argmax(String input, String output) {
    this.input = input;
    this.output = output;
  }

  public static Argmax create(Params params, StepContext context) {
    Argmax step = new Argmax(params.string("input", "prob"), params.string("output", "label"));
    return step;
  }

  @Override
  public void apply(Sample sample) {
    Tensor scores = LastAxis.read(sample, input);
    if (scores == null) {
      return;
    }
    int width = LastAxis.width(scores);
    float[] in = scores.floats();
    long[] out = new long[LastAxis.rows(scores)];
    for (int row = 0; row < out.length; row++) {
      int best = 0;
      for (int i = 1; i < width; i++) {
        if (in[row * width + i] > in[row * width + best]) {
          best = i;
        }
      }
      out[row] = best;
    }
    sample.put(output, Tensor.of(out, LastAxis.withLastAxis(scores, -1)));
  }
}
