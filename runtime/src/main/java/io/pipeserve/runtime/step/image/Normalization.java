package io.pipeserve.runtime.step.image;

import org.opencv.core.CvType;
import org.opencv.core.Mat;

/**
 * Per-channel {@code (pixel * scale - mean[c]) / std[c]}, written channel-first (CHW) as the models
 * take it. As in PaddleOCR's NormalizeImage, channel c is the image's c-th channel (BGR order), so
 * the ImageNet means apply to B, G, R in that order.
 */
public final class Normalization {
  /** PaddleOCR's detection normalization: ImageNet mean and std on pixels scaled to [0, 1]. */
  public static final Normalization IMAGENET =
      new Normalization(
          1.0 / 255, new double[] {0.485, 0.456, 0.406}, new double[] {0.229, 0.224, 0.225});

  /** PaddleOCR's classifier and recognizer normalization: pixels mapped to [-1, 1]. */
  public static final Normalization SYMMETRIC =
      new Normalization(1.0 / 255, new double[] {0.5, 0.5, 0.5}, new double[] {0.5, 0.5, 0.5});

  private final float[] gain = new float[3];
  private final float[] offset = new float[3];

  public Normalization(double scale, double[] mean, double[] std) {
    if (mean.length != 3 || std.length != 3) {
      throw new IllegalArgumentException("mean and std need 3 values, one per channel");
    }
    for (int c = 0; c < 3; c++) {
      if (std[c] == 0) {
        throw new IllegalArgumentException("std must not be 0");
      }
      gain[c] = (float) (scale / std[c]);
      offset[c] = (float) (-mean[c] / std[c]);
    }
  }

  /**
   * Writes an 8-bit 3-channel image into {@code dst} at {@code start} as [3, rows, width]. Columns
   * from the image's width up to {@code width} are left as they are (zero in a new array): the
   * right padding PaddleOCR's cls and rec preprocessing add.
   */
  public void writeChw(Mat image, float[] dst, int start, int width) {
    if (image.type() != CvType.CV_8UC3 || image.cols() > width) {
      throw new IllegalArgumentException("cannot write " + image + " into width " + width);
    }
    int rows = image.rows();
    int cols = image.cols();
    byte[] pixels = new byte[rows * cols * 3];
    (image.isContinuous() ? image : image.clone()).get(0, 0, pixels);
    int plane = rows * width;
    for (int y = 0; y < rows; y++) {
      for (int x = 0; x < cols; x++) {
        int src = (y * cols + x) * 3;
        int dstIndex = start + y * width + x;
        for (int c = 0; c < 3; c++) {
          dst[dstIndex + c * plane] = (pixels[src + c] & 0xff) * gain[c] + offset[c];
        }
      }
    }
  }
}
