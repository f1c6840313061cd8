package io.pipeserve.runtime.predictor.remote;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.pipeserve.proto.inference.InferTensorContents;
import io.pipeserve.runtime.tensor.DType;
import io.pipeserve.runtime.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Tensors in the Open Inference Protocol's forms: the datatype names, the raw form ({@code
 * raw_input_contents} / {@code raw_output_contents}: elements little-endian and packed, BYTES
 * elements each preceded by its 4-byte little-endian length) and the typed {@code
 * InferTensorContents}. Numbers are copied in bulk through {@link ByteBuffer} views, never element
 * by element through boxed values.
 */
public final class OipTensors {
  private static final ByteOrder WIRE = ByteOrder.LITTLE_ENDIAN;

  private OipTensors() {}

  /**
   * The OIP datatype of a pipeserve element type; STRING travels as BYTES (UTF-8), as the protocol
   * has no string type.
   */
  public static String datatype(DType dtype) {
    return dtype == DType.STRING ? "BYTES" : dtype.name();
  }

  /**
   * The pipeserve element type of an OIP datatype; null for one pipeserve tensors cannot hold
   * (UINT16, UINT32, UINT64) or an unknown name.
   */
  public static DType dtype(String datatype) {
    return switch (datatype) {
      case "BOOL" -> DType.BOOL;
      case "UINT8" -> DType.UINT8;
      case "INT8" -> DType.INT8;
      case "INT16" -> DType.INT16;
      case "INT32" -> DType.INT32;
      case "INT64" -> DType.INT64;
      case "FP16" -> DType.FP16;
      case "BF16" -> DType.BF16;
      case "FP32" -> DType.FP32;
      case "FP64" -> DType.FP64;
      case "BYTES" -> DType.BYTES;
      default -> null;
    };
  }

  /** A tensor's elements in the raw form. Byte-sized numbers are wrapped, not copied. */
  public static ByteString raw(Tensor t) {
    Object data = t.data();
    int n = (int) t.elementCount();
    return switch (t.dtype()) {
      // Tensors are immutable by convention, so the array can back the message as it is.
      case UINT8, INT8 -> UnsafeByteOperations.unsafeWrap((byte[]) data);
      case BOOL -> {
        boolean[] values = (boolean[]) data;
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
          bytes[i] = (byte) (values[i] ? 1 : 0);
        }
        yield UnsafeByteOperations.unsafeWrap(bytes);
      }
      case INT16, FP16, BF16 -> {
        ByteBuffer b = buffer(n, 2);
        b.asShortBuffer().put((short[]) data);
        yield UnsafeByteOperations.unsafeWrap(b.array());
      }
      case INT32 -> {
        ByteBuffer b = buffer(n, 4);
        b.asIntBuffer().put((int[]) data);
        yield UnsafeByteOperations.unsafeWrap(b.array());
      }
      case FP32 -> {
        ByteBuffer b = buffer(n, 4);
        b.asFloatBuffer().put((float[]) data);
        yield UnsafeByteOperations.unsafeWrap(b.array());
      }
      case INT64 -> {
        ByteBuffer b = buffer(n, 8);
        b.asLongBuffer().put((long[]) data);
        yield UnsafeByteOperations.unsafeWrap(b.array());
      }
      case FP64 -> {
        ByteBuffer b = buffer(n, 8);
        b.asDoubleBuffer().put((double[]) data);
        yield UnsafeByteOperations.unsafeWrap(b.array());
      }
      case BYTES -> lengthPrefixed((byte[][]) data);
      case STRING -> {
        String[] strings = (String[]) data;
        byte[][] bytes = new byte[n][];
        for (int i = 0; i < n; i++) {
          bytes[i] = strings[i].getBytes(StandardCharsets.UTF_8);
        }
        yield lengthPrefixed(bytes);
      }
    };
  }

  /**
   * Reads a tensor from the raw form.
   *
   * @throws IllegalArgumentException when the bytes do not hold {@code shape}'s elements of {@code
   *     dtype}
   */
  public static Tensor fromRaw(DType dtype, long[] shape, ByteString raw) {
    int n = Math.toIntExact(Tensor.elementCount(shape));
    if (dtype == DType.BYTES) {
      return new Tensor(dtype, shape, splitLengthPrefixed(raw, n));
    }
    long expected = (long) n * dtype.byteSize();
    if (raw.size() != expected) {
      throw new IllegalArgumentException(
          "holds " + raw.size() + " bytes, but " + n + " " + dtype + " elements take " + expected);
    }
    ByteBuffer b = raw.asReadOnlyByteBuffer().order(WIRE);
    Object data =
        switch (dtype) {
          case UINT8, INT8 -> raw.toByteArray();
          case BOOL -> {
            boolean[] values = new boolean[n];
            for (int i = 0; i < n; i++) {
              values[i] = b.get(i) != 0;
            }
            yield values;
          }
          case INT16, FP16, BF16 -> {
            short[] values = new short[n];
            b.asShortBuffer().get(values);
            yield values;
          }
          case INT32 -> {
            int[] values = new int[n];
            b.asIntBuffer().get(values);
            yield values;
          }
          case FP32 -> {
            float[] values = new float[n];
            b.asFloatBuffer().get(values);
            yield values;
          }
          case INT64 -> {
            long[] values = new long[n];
            b.asLongBuffer().get(values);
            yield values;
          }
          case FP64 -> {
            double[] values = new double[n];
            b.asDoubleBuffer().get(values);
            yield values;
          }
          case STRING, BYTES -> throw new IllegalArgumentException(dtype + " has no fixed size");
        };
    return new Tensor(dtype, shape, data);
  }

  /**
   * Reads a tensor from the typed contents; FP16 and BF16 have none (the protocol sends them raw).
   *
   * @throws IllegalArgumentException when the contents do not hold {@code shape}'s elements
   */
  public static Tensor fromContents(DType dtype, long[] shape, InferTensorContents c) {
    int n = Math.toIntExact(Tensor.elementCount(shape));
    Object data =
        switch (dtype) {
          case BOOL -> {
            count(c.getBoolContentsCount(), n, "bool_contents");
            boolean[] values = new boolean[n];
            for (int i = 0; i < n; i++) {
              values[i] = c.getBoolContents(i);
            }
            yield values;
          }
          case UINT8, INT8 -> {
            int count = dtype == DType.UINT8 ? c.getUintContentsCount() : c.getIntContentsCount();
            count(count, n, dtype == DType.UINT8 ? "uint_contents" : "int_contents");
            byte[] values = new byte[n];
            for (int i = 0; i < n; i++) {
              values[i] =
                  (byte) (dtype == DType.UINT8 ? c.getUintContents(i) : c.getIntContents(i));
            }
            yield values;
          }
          case INT16 -> {
            count(c.getIntContentsCount(), n, "int_contents");
            short[] values = new short[n];
            for (int i = 0; i < n; i++) {
              values[i] = (short) c.getIntContents(i);
            }
            yield values;
          }
          case INT32 -> {
            count(c.getIntContentsCount(), n, "int_contents");
            int[] values = new int[n];
            for (int i = 0; i < n; i++) {
              values[i] = c.getIntContents(i);
            }
            yield values;
          }
          case INT64 -> {
            count(c.getInt64ContentsCount(), n, "int64_contents");
            long[] values = new long[n];
            for (int i = 0; i < n; i++) {
              values[i] = c.getInt64Contents(i);
            }
            yield values;
          }
          case FP32 -> {
            count(c.getFp32ContentsCount(), n, "fp32_contents");
            float[] values = new float[n];
            for (int i = 0; i < n; i++) {
              values[i] = c.getFp32Contents(i);
            }
            yield values;
          }
          case FP64 -> {
            count(c.getFp64ContentsCount(), n, "fp64_contents");
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
              values[i] = c.getFp64Contents(i);
            }
            yield values;
          }
          case BYTES -> {
            count(c.getBytesContentsCount(), n, "bytes_contents");
            List<ByteString> list = c.getBytesContentsList();
            byte[][] values = new byte[n][];
            for (int i = 0; i < n; i++) {
              values[i] = list.get(i).toByteArray();
            }
            yield values;
          }
          case FP16, BF16, STRING ->
              throw new IllegalArgumentException(
                  dtype + " has no typed contents; the server must send it raw");
        };
    return new Tensor(dtype, shape, data);
  }

  private static ByteBuffer buffer(int elements, int size) {
    return ByteBuffer.allocate(Math.multiplyExact(elements, size)).order(WIRE);
  }

  private static ByteString lengthPrefixed(byte[][] elements) {
    int size = 0;
    for (byte[] e : elements) {
      size = Math.addExact(size, 4 + e.length);
    }
    ByteBuffer b = ByteBuffer.allocate(size).order(WIRE);
    for (byte[] e : elements) {
      b.putInt(e.length).put(e);
    }
    return UnsafeByteOperations.unsafeWrap(b.array());
  }

  private static byte[][] splitLengthPrefixed(ByteString raw, int n) {
    ByteBuffer b = raw.asReadOnlyByteBuffer().order(WIRE);
    byte[][] values = new byte[n][];
    for (int i = 0; i < n; i++) {
      if (b.remaining() < 4) {
        throw new IllegalArgumentException("holds " + i + " BYTES elements, expected " + n);
      }
      int length = b.getInt();
      if (length < 0 || length > b.remaining()) {
        throw new IllegalArgumentException(
            "BYTES element " + i + " claims " + length + " bytes, " + b.remaining() + " remain");
      }
      values[i] = new byte[length];
      b.get(values[i]);
    }
    if (b.hasRemaining()) {
      throw new IllegalArgumentException(
          "holds " + b.remaining() + " bytes after its " + n + " BYTES elements");
    }
    return values;
  }

  private static void count(int actual, int expected, String field) {
    if (actual != expected) {
      throw new IllegalArgumentException(
          "has " + actual + " values in " + field + ", its shape needs " + expected);
    }
  }
}
