package io.pipeserve.runtime.step.ocr;

import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.step.Params;
import io.pipeserve.runtime.step.Step;
import io.pipeserve.runtime.step.StepContext;
import io.pipeserve.runtime.step.image.Images;
import io.pipeserve.runtime.step.image.OpenCv;

/**
 * {@code cls-resize}: PaddleOCR's predict_cls preprocessing. Every crop becomes one item of a
 * fixed-size [N, 3, 48, 192] tensor for the text-direction classifier.
 */
public final class ClsResize implements Step {
  private final String input;
  private final String output;
  private final int height;
  private final int width;

  private ClsResize(String input, String output, int height, int width) {
    this.input = input;
    this.output = output;
    this.height = height;
    this.width = width;
  }

  public static ClsResize create(Params params, StepContext context) {
    OpenCv.load();
    String input = params.string("input", "crops");
    String output = params.string("output", "x");
    int height = params.integer("height", 48);
    int width = params.integer("width", 192);
    if (height < 1 || width < 1) {
      throw params.invalid(height < 1 ? "height" : "width", "must be >= 1");
    }
    return new ClsResize(input, output, height, width);
  }

  @Override
  public void apply(Sample sample) {
    sample.put(output, TextLineBatch.of(Images.requireList(sample, input), height, width));
  }
}
