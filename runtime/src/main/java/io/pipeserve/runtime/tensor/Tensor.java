package io.pipeserve.runtime.tensor;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A dense tensor: element type, shape and a flat row-major Java array ({@link DType#arrayType()}).
 * Immutable by convention: steps create new tensors rather than write into shared ones.
 *
 * <p>A tensor may also be made from the little-endian bytes of its elements as they arrived on the
 * wire ({@link #ofLittleEndian}): it then keeps those bytes and builds its array only when asked
 * for one, so a tensor that goes from the gateway to a model (which takes bytes) or back out
 * unchanged is never converted element by element.
 */
public final class Tensor {
  private final DType dtype;
  private final long[] shape;
  // At least one of the two is set; the array is built from the bytes on first use. A race builds
  // it twice from the same bytes, which is harmless.
  private volatile Object data;
  private final ByteBuffer littleEndian;

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
    this.littleEndian = null;
  }

  private Tensor(DType dtype, long[] shape, ByteBuffer littleEndian) {
    this.dtype = dtype;
    this.shape = shape.clone();
    this.littleEndian = littleEndian;
  }

  /**
   * A tensor over the little-endian bytes of its elements (BOOL: one byte each, 0 or 1), without
   * copying them: the bytes from the buffer's position to its limit must not change afterwards.
   *
   * @throws IllegalArgumentException for a variable-size type (STRING, BYTES) or when the byte
   *     count does not match the shape
   */
  public static Tensor ofLittleEndian(DType dtype, long[] shape, ByteBuffer bytes) {
    if (dtype.byteSize() < 0) {
      throw new IllegalArgumentException(dtype + " elements have no fixed size");
    }
    long expected = Math.multiplyExact(elementCount(shape), dtype.byteSize());
    if (bytes.remaining() != expected) {
      throw new IllegalArgumentException(
          "shape "
              + Arrays.toString(shape)
              + " of "
              + dtype
              + " takes "
              + expected
              + " bytes but "
              + bytes.remaining()
              + " were given");
    }
    return new Tensor(dtype, shape, bytes.slice().order(ByteOrder.LITTLE_ENDIAN));
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
    Object d = data;
    if (d == null) {
      d = LittleEndian.toArray(dtype, littleEndian.duplicate().order(ByteOrder.LITTLE_ENDIAN));
      data = d;
    }
    return d;
  }

  /** Whether the tensor was made from bytes ({@link #ofLittleEndian}) and still reads them. */
  public boolean isByteBacked() {
    return littleEndian != null;
  }

  /**
   * The elements as little-endian bytes (BOOL: one byte each), from position 0: the bytes the
   * tensor was made from when it is {@linkplain #isByteBacked byte-backed} (no copy), else new
   * bytes filled from the array in bulk. Do not modify them. (They are not made read-only: a
   * read-only buffer hides its array, and encoders would then copy it.)
   *
   * @throws IllegalStateException for a variable-size type (STRING, BYTES)
   */
  public ByteBuffer littleEndian() {
    if (littleEndian != null) {
      return littleEndian.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }
    if (dtype.byteSize() < 0) {
      throw new IllegalStateException(dtype + " elements have no fixed size");
    }
    return LittleEndian.fromArray(dtype, data());
  }

  public float[] floats() {
    return (float[]) data();
  }

  public long[] longs() {
    return (long[]) data();
  }

  public int[] ints() {
    return (int[]) data();
  }

  public byte[] bytes() {
    return (byte[]) data();
  }

  public String[] strings() {
    return (String[]) data();
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
