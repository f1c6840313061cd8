package io.pipeserve.runtime.step.ocr;

import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.step.Params;
import io.pipeserve.runtime.step.Step;
import io.pipeserve.runtime.step.StepContext;
import io.pipeserve.runtime.step.image.Images;
import io.pipeserve.runtime.step.image.Normalization;
import io.pipeserve.runtime.step.image.OpenCv;
import io.pipeserve.runtime.tensor.Tensor;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * {@code det-resize}: PaddleOCR's DetResizeForTest (resize type 0) plus NormalizeImage and
 * ToCHWImage. The image is scaled so its longest (limitType max) or shortest (min) side meets
 * limitSideLen, each side rounded to a multiple of 32, then normalized into a [1, 3, H, W] tensor.
 * The source size and the scale ratios go to a second field that {@code db-postprocess} reads to
 * map boxes back to source pixels.
 */
public final class DetResize implements Step {
  private final String input;
  private final String output;
  private final String shapeOutput;
  private final int limitSideLen;
  private final boolean limitMax;
  private final Normalization normalization;

  private DetResize(
      String input,
      String output,
      String shapeOutput,
      int limitSideLen,
      boolean limitMax,
      Normalization normalization) {
    this.input = input;
    this.output = output;
    this.shapeOutput = shapeOutput;
    this.limitSideLen = limitSideLen;
    this.limitMax = limitMax;
    this.normalization = normalization;
  }

  public static DetResize create(Params params, StepContext context) {
    OpenCv.load();
    String input = params.string("input", "image");
    String output = params.string("output", "x");
    String shape = params.string("shape", DetShape.DEFAULT_FIELD);
    int limitSideLen = params.integer("limitSideLen", 960);
    if (limitSideLen < 32) {
      throw params.invalid("limitSideLen", "must be >= 32, got " + limitSideLen);
    }
    String limitType = params.string("limitType", "max");
    if (!limitType.equals("max") && !limitType.equals("min")) {
      throw params.invalid("limitType", "must be 'max' or 'min', got '" + limitType + "'");
    }
    double scale = params.number("scale", 1.0 / 255);
    double[] mean = params.numbers("mean", new double[] {0.485, 0.456, 0.406});
    double[] std = params.numbers("std", new double[] {0.229, 0.224, 0.225});
    if (mean.length != 3 || std.length != 3) {
      throw params.invalid(mean.length != 3 ? "mean" : "std", "needs 3 values, one per channel");
    }
    return new DetResize(
        input,
        output,
        shape,
        limitSideLen,
        limitType.equals("max"),
        new Normalization(scale, mean, std));
  }

  @Override
  public void apply(Sample sample) {
    Tensor image = Images.require(sample, input);
    int srcH = (int) image.dim(0);
    int srcW = (int) image.dim(1);
    double ratio = ratio(srcH, srcW);
    int resizeH = multipleOf32((int) (srcH * ratio));
    int resizeW = multipleOf32((int) (srcW * ratio));

    Mat src = Images.toMat(image);
    Mat resized = new Mat();
    try {
      Imgproc.resize(src, resized, new Size(resizeW, resizeH));
      float[] chw = new float[3 * resizeH * resizeW];
      normalization.writeChw(resized, chw, 0, resizeW);
      sample.put(output, Tensor.of(chw, 1, 3, resizeH, resizeW));
    } finally {
      src.release();
      resized.release();
    }
    sample.put(
        shapeOutput,
        new DetShape(srcH, srcW, resizeH / (double) srcH, resizeW / (double) srcW).toTensor());
  }

  private double ratio(int h, int w) {
    if (limitMax) {
      return Math.max(h, w) > limitSideLen ? (double) limitSideLen / Math.max(h, w) : 1.0;
    }
    return Math.min(h, w) < limitSideLen ? (double) limitSideLen / Math.min(h, w) : 1.0;
  }

  // Python's round() rounds half to even; Math.rint does the same, so sizes match PaddleOCR's.
  private static int multipleOf32(int side) {
    return Math.max((int) Math.rint(side / 32.0) * 32, 32);
  }
}
