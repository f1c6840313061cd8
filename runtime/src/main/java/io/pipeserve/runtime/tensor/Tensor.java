package io.pipeserve.runtime.tensor;

import java.lang.reflect.Array;
import java.util.Arrays;

/**
 * A dense tensor: element type, shape and a flat row-major Java array ({@link DType#arrayType()}).
 * Immutable by convention: steps create new tensors rather than write into shared ones.
 */
public final class Tensor {
  private final DType dtype;
  private final long[] shape;
  private final Object data;

  public Tensor(DType dtype, long[] shape, Object data) {
    if (!dtype.arrayType().isInstance(data)) {
      throw new IllegalArgumentException(
          dtype + " tensor needs a " + dtype.arrayType().getSimpleName() + " array");
    }
    long n = elementCount(shape);
    if (n != Array.getLength(data)) {
      throw new IllegalArgumentException(
          "shape "
              + Arrays.toString(shape)
              + " has "
              + n
              + " elements but the data has "
              + Array.getLength(data));
    }
    this.dtype = dtype;
    this.shape = shape.clone();
    this.data = data;
  }

  public static Tensor of(float[] data, long... shape) {
    return new Tensor(DType.FP32, shape, data);
  }

  public static Tensor of(long[] data, long... shape) {
    return new Tensor(DType.INT64, shape, data);
  }

  public static Tensor of(int[] data, long... shape) {
    return new Tensor(DType.INT32, shape, data);
  }

  public static Tensor ofStrings(String... data) {
    return new Tensor(DType.STRING, new long[] {data.length}, data);
  }

  public DType dtype() {
    return dtype;
  }

  public long[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  public long dim(int i) {
    return shape[i];
  }

  /** The flat data array; its type is {@code dtype().arrayType()}. Do not modify it. */
  public Object data() {
    return data;
  }

  public float[] floats() {
    return (float[]) data;
  }

  public long[] longs() {
    return (long[]) data;
  }

  public int[] ints() {
    return (int[]) data;
  }

  public byte[] bytes() {
    return (byte[]) data;
  }

  public String[] strings() {
    return (String[]) data;
  }

  public long elementCount() {
    return elementCount(shape);
  }

  public static long elementCount(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
      }
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  @Override
  public String toString() {
    return "Tensor[" + dtype + " " + Arrays.toString(shape) + "]";
  }
}
