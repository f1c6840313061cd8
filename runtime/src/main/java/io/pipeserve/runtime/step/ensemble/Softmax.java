package io.pipeserve.runtime.step.ensemble;

import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.step.Params;
import io.pipeserve.runtime.step.Step;
import io.pipeserve.runtime.step.StepContext;
import io.pipeserve.runtime.tensor.Tensor;

/** {@code softmax}: probabilities along the last axis of an FP32 tensor (e.g. logits). */
public final class Softmax implements Step {
  private final String input;
  private final String output;

  private Softmax(String input, String output) {
    this.input = input;
    this.output = output;
  }

  public static Softmax create(Params params, StepContext context) {
    Softmax step = new Softmax(params.string("input", "logits"), params.string("output", "prob"));
    return step;
  }

  @Override
  public void apply(Sample sample) {
    Tensor logits = LastAxis.read(sample, input);
    if (logits == null) {
      return;
    }
    int width = LastAxis.width(logits);
    float[] in = logits.floats();
    float[] out = new float[in.length];
    for (int row = 0; row < LastAxis.rows(logits); row++) {
      int start = row * width;
      // Subtracting the row's maximum keeps exp() from overflowing; the result is the same.
      float max = Float.NEGATIVE_INFINITY;
      for (int i = start; i < start + width; i++) {
        max = Math.max(max, in[i]);
      }
      double sum = 0;
      for (int i = start; i < start + width; i++) {
        out[i] = (float) Math.exp(in[i] - max);
        sum += out[i];
      }
      for (int i = start; i < start + width; i++) {
        out[i] = (float) (out[i] / sum);
      }
    }
    sample.put(output, Tensor.of(out, logits.shape()));
  }
}
