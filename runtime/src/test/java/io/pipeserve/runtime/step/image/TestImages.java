package io.pipeserve.runtime.step.image;

import io.pipeserve.runtime.tensor.DType;
import io.pipeserve.runtime.tensor.Tensor;

/** Small synthetic images for step tests. */
public final class TestImages {
  private TestImages() {}

  /** An image of one colour, given as B, G, R. */
  public static Tensor solid(int height, int width, int b, int g, int r) {
    byte[] data = new byte[height * width * 3];
    for (int i = 0; i < data.length; i += 3) {
      data[i] = (byte) b;
      data[i + 1] = (byte) g;
      data[i + 2] = (byte) r;
    }
    return new Tensor(DType.UINT8, new long[] {height, width, 3}, data);
  }

  /** A white image with a black filled rectangle over rows [y0, y1) and columns [x0, x1). */
  public static Tensor withBlackRect(int height, int width, int x0, int y0, int x1, int y1) {
    Tensor white = solid(height, width, 255, 255, 255);
    byte[] data = white.bytes();
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        int i = (y * width + x) * 3;
        data[i] = 0;
        data[i + 1] = 0;
        data[i + 2] = 0;
      }
    }
    return white;
  }

  /** The B, G, R value of one pixel. */
  public static int[] pixel(Tensor image, int y, int x) {
    int i = (int) ((y * image.dim(1) + x) * 3);
    byte[] d = image.bytes();
    return new int[] {d[i] & 0xff, d[i + 1] & 0xff, d[i + 2] & 0xff};
  }
}
