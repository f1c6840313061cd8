package io.pipeserve.runtime.step.ocr;

import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.tensor.DType;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.Arrays;

/**
 * PaddleOCR's {@code shape_list}: the source image size and the ratios det-resize scaled it by. It
 * travels between det-resize and db-postprocess as an FP32 tensor [srcH, srcW, ratioH, ratioW] so
 * that it survives any hop between processes like every other field.
 */
record DetShape(int srcH, int srcW, double ratioH, double ratioW) {
  static final String DEFAULT_FIELD = "det_shape";

  Tensor toTensor() {
    return Tensor.of(new float[] {srcH, srcW, (float) ratioH, (float) ratioW}, 4);
  }

  /** Rows of the resized image, i.e. of the valid part of the detection map. */
  int resizedH() {
    return (int) Math.round(srcH * ratioH);
  }

  /** Columns of the resized image. */
  int resizedW() {
    return (int) Math.round(srcW * ratioW);
  }

  static DetShape from(Sample sample, String field) {
    Tensor t = sample.tensor(field);
    if (t.dtype() != DType.FP32 || t.rank() != 1 || t.dim(0) != 4) {
      throw PipelineException.type(
          "field '"
              + field
              + "' must be the FP32 [4] tensor det-resize writes, got "
              + t.dtype()
              + " "
              + Arrays.toString(t.shape()));
    }
    float[] v = t.floats();
    return new DetShape((int) v[0], (int) v[1], v[2], v[3]);
  }
}
