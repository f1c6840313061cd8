package io.pipeserve.runtime.step.ocr;

import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.step.Params;
import io.pipeserve.runtime.step.Step;
import io.pipeserve.runtime.step.StepContext;
import io.pipeserve.runtime.step.image.Images;
import io.pipeserve.runtime.step.image.OpenCv;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.List;

/**
 * {@code rec-resize}: PaddleOCR's predict_rec preprocessing. The batch width fits the widest crop
 * of this sample at height 48 (at least minWidth, at most maxWidth), so long lines are not
 * squeezed; narrower crops are zero-padded on the right, which the recognizer reads as blank.
 */
public final class RecResize implements Step {
  private final String input;
  private final String output;
  private final int height;
  private final int minWidth;
  private final int maxWidth;

  private RecResize(String input, String output, int height, int minWidth, int maxWidth) {
    this.input = input;
    this.output = output;
    this.height = height;
    this.minWidth = minWidth;
    this.maxWidth = maxWidth;
  }

  public static RecResize create(Params params, StepContext context) {
    OpenCv.load();
    String input = params.string("input", "crops");
    String output = params.string("output", "x");
    int height = params.integer("height", 48);
    if (height < 1) {
      throw params.invalid("height", "must be >= 1, got " + height);
    }
    int minWidth = params.integer("minWidth", 320);
    if (minWidth < 1) {
      throw params.invalid("minWidth", "must be >= 1, got " + minWidth);
    }
    int maxWidth = params.integer("maxWidth", 3200);
    if (maxWidth < minWidth) {
      throw params.invalid("maxWidth", "must be >= minWidth (" + minWidth + "), got " + maxWidth);
    }
    return new RecResize(input, output, height, minWidth, maxWidth);
  }

  @Override
  public void apply(Sample sample) {
    List<Tensor> crops = Images.requireList(sample, input);
    double maxRatio = 0;
    for (Tensor crop : crops) {
      maxRatio = Math.max(maxRatio, crop.dim(1) / (double) crop.dim(0));
    }
    int width = (int) Math.min(Math.max(minWidth, Math.ceil(height * maxRatio)), maxWidth);
    sample.put(output, TextLineBatch.of(crops, height, width));
  }
}
