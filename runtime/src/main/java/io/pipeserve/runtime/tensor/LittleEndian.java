package io.pipeserve.runtime.tensor;

import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Bulk conversions between tensor arrays and little-endian bytes (the byte order of the Open
 * Inference Protocol's raw tensors and of every platform ONNX Runtime ships for). Each is one
 * buffer-to-array transfer, which the JIT compiles to a memory copy where the orders agree.
 */
final class LittleEndian {
  private LittleEndian() {}

  /** The array of {@code dtype} holding the elements from the buffer's position to its limit. */
  static Object toArray(DType dtype, ByteBuffer bytes) {
    ByteBuffer b = bytes.order(ByteOrder.LITTLE_ENDIAN);
    int n = b.remaining() / dtype.byteSize();
    return switch (dtype) {
      case FP32 -> {
        float[] a = new float[n];
        b.asFloatBuffer().get(a);
        yield a;
      }
      case FP64 -> {
        double[] a = new double[n];
        b.asDoubleBuffer().get(a);
        yield a;
      }
      case INT64, UINT64 -> {
        long[] a = new long[n];
        b.asLongBuffer().get(a);
        yield a;
      }
      case INT32, UINT32 -> {
        int[] a = new int[n];
        b.asIntBuffer().get(a);
        yield a;
      }
      case INT16, UINT16, FP16, BF16 -> {
        short[] a = new short[n];
        b.asShortBuffer().get(a);
        yield a;
      }
      case INT8, UINT8 -> {
        byte[] a = new byte[n];
        b.get(a);
        yield a;
      }
      case BOOL -> {
        boolean[] a = new boolean[n];
        for (int i = 0; i < n; i++) {
          a[i] = b.get() != 0;
        }
        yield a;
      }
      case STRING, BYTES -> throw new IllegalStateException(dtype + " has no fixed size");
    };
  }

  /** New little-endian bytes holding the array's elements, at position 0. */
  static ByteBuffer fromArray(DType dtype, Object data) {
    int n = Array.getLength(data);
    ByteBuffer b =
        ByteBuffer.allocate(Math.multiplyExact(n, dtype.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
    switch (dtype) {
      case FP32 -> b.asFloatBuffer().put((float[]) data);
      case FP64 -> b.asDoubleBuffer().put((double[]) data);
      case INT64, UINT64 -> b.asLongBuffer().put((long[]) data);
      case INT32, UINT32 -> b.asIntBuffer().put((int[]) data);
      case INT16, UINT16, FP16, BF16 -> b.asShortBuffer().put((short[]) data);
      case INT8, UINT8 -> b.put((byte[]) data).flip();
      case BOOL -> {
        for (boolean v : (boolean[]) data) {
          b.put((byte) (v ? 1 : 0));
        }
        b.flip();
      }
      case STRING, BYTES -> throw new IllegalStateException(dtype + " has no fixed size");
    }
    return b;
  }
}
