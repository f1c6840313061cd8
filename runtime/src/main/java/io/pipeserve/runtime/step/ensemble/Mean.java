package io.pipeserve.runtime.step.ensemble;

import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.step.Params;
import io.pipeserve.runtime.step.Step;
import io.pipeserve.runtime.step.StepContext;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.Arrays;
import java.util.List;

/**
 * {@code mean}: the element-wise mean of several FP32 tensors of one shape, e.g. the class
 * probabilities of an ensemble's models.
 */
public final class Mean implements Step {
  private final List<String> inputs;
  private final String output;

  private Mean(List<String> inputs, String output) {
    this.inputs = inputs;
    this.output = output;
  }

  public static Mean create(Params params, StepContext context) {
    Mean step = new Mean(LastAxis.inputs(params), params.string("output", "mean"));
    return step;
  }

  @Override
  public void apply(Sample sample) {
    List<Tensor> tensors = LastAxis.readAll(sample, inputs);
    if (tensors == null) {
      return;
    }
    long[] shape = tensors.get(0).shape();
    for (int i = 1; i < tensors.size(); i++) {
      if (!Arrays.equals(tensors.get(i).shape(), shape)) {
        throw PipelineException.type(
            "fields '"
                + inputs.get(0)
                + "' "
                + Arrays.toString(shape)
                + " and '"
                + inputs.get(i)
                + "' "
                + Arrays.toString(tensors.get(i).shape())
                + " must have the same shape to be averaged");
      }
    }
    float[] out = new float[tensors.get(0).floats().length];
    for (Tensor t : tensors) {
      float[] in = t.floats();
      for (int i = 0; i < out.length; i++) {
        out[i] += in[i];
      }
    }
    for (int i = 0; i < out.length; i++) {
      out[i] /= tensors.size();
    }
    sample.put(output, Tensor.of(out, shape));
  }
}
