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
 * {@code concat}: several FP32 tensors joined along their last axis (e.g. features of several
 * models); all other dimensions must be equal.
 */
public final class Concat implements Step {
  private final List<String> inputs;
  private final String output;

  private Concat(List<String> inputs, String output) {
    this.inputs = inputs;
    this.output = output;
  }

  public static Concat create(Params params, StepContext context) {
    Concat step = new Concat(LastAxis.inputs(params), params.string("output", "concat"));
    return step;
  }

  @Override
  public void apply(Sample sample) {
    List<Tensor> tensors = LastAxis.readAll(sample, inputs);
    if (tensors == null) {
      return;
    }
    Tensor first = tensors.get(0);
    long[] leading = LastAxis.withLastAxis(first, -1);
    int width = 0;
    for (int i = 0; i < tensors.size(); i++) {
      Tensor t = tensors.get(i);
      if (!Arrays.equals(LastAxis.withLastAxis(t, -1), leading)) {
        throw PipelineException.type(
            "fields '"
                + inputs.get(0)
                + "' "
                + Arrays.toString(first.shape())
                + " and '"
                + inputs.get(i)
                + "' "
                + Arrays.toString(t.shape())
                + " must agree in all but the last dimension to be concatenated");
      }
      width += LastAxis.width(t);
    }
    int rows = LastAxis.rows(first);
    float[] out = new float[rows * width];
    int column = 0;
    for (Tensor t : tensors) {
      int w = LastAxis.width(t);
      for (int row = 0; row < rows; row++) {
        System.arraycopy(t.floats(), row * w, out, row * width + column, w);
      }
      column += w;
    }
    sample.put(output, Tensor.of(out, LastAxis.withLastAxis(first, width)));
  }
}
