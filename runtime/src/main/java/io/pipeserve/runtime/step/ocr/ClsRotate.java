package io.pipeserve.runtime.step.ocr;

import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.step.Params;
import io.pipeserve.runtime.step.Step;
import io.pipeserve.runtime.step.StepContext;
import io.pipeserve.runtime.step.image.Images;
import io.pipeserve.runtime.step.image.OpenCv;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.opencv.core.Core;
import org.opencv.core.Mat;

/**
 * {@code cls-rotate}: PaddleOCR's predict_cls postprocessing. The classifier's [N, 2] output gives
 * per crop the probabilities of "0°" and "180°"; crops it calls upside down with a probability
 * above thresh are turned 180°. The rotation applied to each crop (0 or 180) goes to an INT32 [N]
 * field.
 */
public final class ClsRotate implements Step {
  private final String input;
  private final String crops;
  private final String output;
  private final String angles;
  private final double thresh;

  private ClsRotate(String input, String crops, String output, String angles, double thresh) {
    this.input = input;
    this.crops = crops;
    this.output = output;
    this.angles = angles;
    this.thresh = thresh;
  }

  public static ClsRotate create(Params params, StepContext context) {
    OpenCv.load();
    String input = params.string("input", "cls");
    String crops = params.string("crops", "crops");
    String output = params.string("output", crops);
    String angles = params.string("angles", "angles");
    double thresh = params.number("thresh", 0.9);
    if (thresh < 0 || thresh > 1) {
      throw params.invalid("thresh", "must be within [0, 1], got " + thresh);
    }
    return new ClsRotate(input, crops, output, angles, thresh);
  }

  @Override
  public void apply(Sample sample) {
    List<Tensor> images = Images.requireList(sample, crops);
    Tensor cls = ModelOutput.forItems(sample, input, 2, images.size(), crops);
    int[] applied = new int[images.size()];
    List<Tensor> rotated = new ArrayList<>(images);
    if (cls != null) {
      int classes = (int) cls.dim(1);
      if (classes != 2) {
        throw PipelineException.type(
            "field '" + input + "' must hold 2 classes (0°, 180°) per crop, got " + classes);
      }
      float[] probs = cls.floats();
      for (int i = 0; i < images.size(); i++) {
        // Label 1 is "180"; PaddleOCR takes the argmax label and rotates when its score > thresh.
        float p0 = probs[i * classes];
        float p180 = probs[i * classes + 1];
        if (p180 > p0 && p180 > thresh) {
          rotated.set(i, rotate180(images.get(i)));
          applied[i] = 180;
        }
      }
    }
    sample.put(output, rotated);
    sample.put(angles, Tensor.of(applied, applied.length));
  }

  private static Tensor rotate180(Tensor image) {
    Mat mat = Images.toMat(image);
    try {
      Core.rotate(mat, mat, Core.ROTATE_180);
      return Images.toTensor(mat);
    } finally {
      mat.release();
    }
  }
}
