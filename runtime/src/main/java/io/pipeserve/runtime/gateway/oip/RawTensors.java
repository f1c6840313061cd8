package io.pipeserve.runtime.gateway.oip;

import io.pipeserve.runtime.tensor.DType;
import io.pipeserve.runtime.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Tensors in raw form, shared by HTTP's binary-data extension and gRPC's raw contents: the
 * elements' little-endian bytes in row-major order (BOOL one byte each, FP16/BF16 their 16 bits),
 * BYTES elements each as a 4-byte little-endian length followed by its bytes.
 *
 * <p>Fixed-size tensors are not converted: the tensor reads the received bytes in place and only
 * becomes a Java array if a step asks for one, so a tensor the pipeline hands to ONNX Runtime or
 * back out unchanged is copied at most by the model's own input copy.
 */
public final class RawTensors {
  private RawTensors() {}

  /**
   * The tensor whose raw form is {@code bytes} (from its position to its limit); the bytes must not
   * change afterwards.
   *
   * @param where the tensor and where its bytes came from, for errors ("input 'x'
   *     (raw_input_contents[0])")
   * @throws OipError INVALID when the byte count does not match the shape
   */
  public static Tensor decode(Datatype datatype, long[] shape, ByteBuffer bytes, String where) {
    long count = Shapes.elementCount(shape, where);
    if (datatype == Datatype.BYTES) {
      return new Tensor(DType.BYTES, shape, decodeBytes(count, bytes, where));
    }
    long expected = count * datatype.byteSize();
    if (bytes.remaining() != expected) {
      throw OipError.invalid(
          where
              + ": "
              + bytes.remaining()
              + " bytes of data do not match shape "
              + Arrays.toString(shape)
              + " of "
              + datatype
              + ", which takes "
              + expected
              + " bytes");
    }
    return Tensor.ofLittleEndian(datatype.dtype(), shape, bytes);
  }

  /** The raw form of {@code tensor}: a view of its bytes when it reads received ones. */
  public static ByteBuffer encode(Tensor tensor) {
    return switch (tensor.dtype()) {
      case BYTES -> encodeBytes((byte[][]) tensor.data());
      case STRING -> encodeBytes(utf8(tensor.strings()));
      default -> tensor.littleEndian();
    };
  }

  /** The size of {@code tensor}'s raw form in bytes. */
  public static long size(Tensor tensor) {
    return switch (tensor.dtype()) {
      case BYTES -> bytesSize((byte[][]) tensor.data());
      case STRING -> bytesSize(utf8(tensor.strings()));
      default -> tensor.elementCount() * tensor.dtype().byteSize();
    };
  }

  static byte[][] utf8(String[] strings) {
    byte[][] out = new byte[strings.length][];
    for (int i = 0; i < strings.length; i++) {
      out[i] = strings[i].getBytes(StandardCharsets.UTF_8);
    }
    return out;
  }

  private static byte[][] decodeBytes(long count, ByteBuffer bytes, String where) {
    ByteBuffer in = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    // Each element takes at least its 4-byte length: a count beyond that cannot be right, and
    // checking first keeps a forged shape from allocating a huge array.
    if (count > in.remaining() / 4) {
      throw OipError.invalid(
          where
              + ": "
              + in.remaining()
              + " bytes of data cannot hold "
              + count
              + " BYTES elements (each takes a 4-byte length first)");
    }
    byte[][] out = new byte[(int) count][];
    for (int i = 0; i < count; i++) {
      if (in.remaining() < 4) {
        throw OipError.invalid(
            where + ": the data ends before the length of BYTES element " + i + " of " + count);
      }
      long length = Integer.toUnsignedLong(in.getInt());
      if (length > in.remaining()) {
        throw OipError.invalid(
            where
                + ": BYTES element "
                + i
                + " says it has "
                + length
                + " bytes but only "
                + in.remaining()
                + " remain");
      }
      out[i] = new byte[(int) length];
      in.get(out[i]);
    }
    if (in.hasRemaining()) {
      throw OipError.invalid(
          where
              + ": "
              + in.remaining()
              + " bytes are left after the "
              + count
              + " BYTES elements of its shape");
    }
    return out;
  }

  private static ByteBuffer encodeBytes(byte[][] elements) {
    ByteBuffer out =
        ByteBuffer.allocate(Math.toIntExact(bytesSize(elements))).order(ByteOrder.LITTLE_ENDIAN);
    for (byte[] e : elements) {
      out.putInt(e.length).put(e);
    }
    return out.flip();
  }

  private static long bytesSize(byte[][] elements) {
    long size = 0;
    for (byte[] e : elements) {
      size += 4 + e.length;
    }
    return size;
  }
}
