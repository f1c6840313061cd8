package io.pipeserve.runtime.step.ocr;

import io.pipeserve.runtime.step.image.Images;
import io.pipeserve.runtime.step.image.Normalization;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.List;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * PaddleOCR's resize_norm_img for text lines (predict_cls and predict_rec): each crop is resized to
 * the model height keeping its aspect ratio (squeezed when it would be wider than the batch width),
 * normalized to [-1, 1] and zero-padded on the right, giving [N, 3, height, width].
 */
final class TextLineBatch {
  private TextLineBatch() {}

  static Tensor of(List<Tensor> crops, int height, int width) {
    int plane = height * width;
    float[] data = new float[crops.size() * 3 * plane];
    for (int i = 0; i < crops.size(); i++) {
      Tensor crop = crops.get(i);
      double ratio = crop.dim(1) / (double) crop.dim(0);
      int resizedW = (int) Math.min(Math.ceil(height * ratio), width);
      Mat src = Images.toMat(crop);
      Mat resized = new Mat();
      try {
        Imgproc.resize(src, resized, new Size(resizedW, height));
        Normalization.SYMMETRIC.writeChw(resized, data, i * 3 * plane, width);
      } finally {
        src.release();
        resized.release();
      }
    }
    return Tensor.of(data, crops.size(), 3, height, width);
  }
}
