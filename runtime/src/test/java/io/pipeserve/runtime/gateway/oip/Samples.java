package io.pipeserve.runtime.gateway.oip;

import com.google.protobuf.ByteString;
import io.pipeserve.proto.inference.InferTensorContents;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

/**
 * Three values of every datatype, each in the protocol's three forms, written out by hand from the
 * specification (not by the code under test): JSON data, raw little-endian bytes, and gRPC typed
 * contents. The values include each integer type's extremes.
 */
public record Samples(String datatype, String json, byte[] raw, InferTensorContents typed) {

  public static Stream<Samples> all() {
    return Stream.of(
        new Samples(
            "BOOL",
            "[true,false,true]",
            bytes(1, 0, 1),
            InferTensorContents.newBuilder()
                .addBoolContents(true)
                .addBoolContents(false)
                .addBoolContents(true)
                .build()),
        new Samples("UINT8", "[0,255,7]", bytes(0, 255, 7), uints(0, 255, 7)),
        new Samples(
            "UINT16",
            "[0,65535,300]",
            le(2).putShort((short) 0).putShort((short) -1).putShort((short) 300).array(),
            uints(0, 65535, 300)),
        new Samples(
            "UINT32",
            "[0,4294967295,70000]",
            le(4).putInt(0).putInt(-1).putInt(70000).array(),
            uints(0, -1, 70000)),
        new Samples(
            "UINT64",
            "[0,18446744073709551615,5]",
            le(8).putLong(0).putLong(-1).putLong(5).array(),
            InferTensorContents.newBuilder()
                .addUint64Contents(0)
                .addUint64Contents(-1)
                .addUint64Contents(5)
                .build()),
        new Samples("INT8", "[-128,127,0]", bytes(0x80, 0x7f, 0), ints(-128, 127, 0)),
        new Samples(
            "INT16",
            "[-32768,32767,1]",
            le(2).putShort(Short.MIN_VALUE).putShort(Short.MAX_VALUE).putShort((short) 1).array(),
            ints(-32768, 32767, 1)),
        new Samples(
            "INT32",
            "[-2147483648,2147483647,2]",
            le(4).putInt(Integer.MIN_VALUE).putInt(Integer.MAX_VALUE).putInt(2).array(),
            ints(Integer.MIN_VALUE, Integer.MAX_VALUE, 2)),
        new Samples(
            "INT64",
            "[-9223372036854775808,9223372036854775807,3]",
            le(8).putLong(Long.MIN_VALUE).putLong(Long.MAX_VALUE).putLong(3).array(),
            InferTensorContents.newBuilder()
                .addInt64Contents(Long.MIN_VALUE)
                .addInt64Contents(Long.MAX_VALUE)
                .addInt64Contents(3)
                .build()),
        // IEEE half: 1.5 = 0x3E00, -2.0 = 0xC000, 65504 (the largest) = 0x7BFF.
        new Samples(
            "FP16",
            "[1.5,-2.0,65504.0]",
            le(2)
                .putShort((short) 0x3E00)
                .putShort((short) 0xC000)
                .putShort((short) 0x7BFF)
                .array(),
            null),
        // bfloat16: the upper half of the float: 1.5 = 0x3FC0, -2.0 = 0xC000, 256.0 = 0x4380.
        new Samples(
            "BF16",
            "[1.5,-2.0,256.0]",
            le(2)
                .putShort((short) 0x3FC0)
                .putShort((short) 0xC000)
                .putShort((short) 0x4380)
                .array(),
            null),
        new Samples(
            "FP32",
            "[1.25,-3.0E38,1.0E-7]",
            le(4).putFloat(1.25f).putFloat(-3.0e38f).putFloat(1.0e-7f).array(),
            InferTensorContents.newBuilder()
                .addFp32Contents(1.25f)
                .addFp32Contents(-3.0e38f)
                .addFp32Contents(1.0e-7f)
                .build()),
        new Samples(
            "FP64",
            "[0.1,-1.0E300,5.5]",
            le(8).putDouble(0.1).putDouble(-1.0e300).putDouble(5.5).array(),
            InferTensorContents.newBuilder()
                .addFp64Contents(0.1)
                .addFp64Contents(-1.0e300)
                .addFp64Contents(5.5)
                .build()),
        new Samples(
            "BYTES",
            "[\"hello\",\"\",\"ünï\"]",
            bytesElements("hello", "", "ünï"),
            InferTensorContents.newBuilder()
                .addBytesContents(ByteString.copyFromUtf8("hello"))
                .addBytesContents(ByteString.EMPTY)
                .addBytesContents(ByteString.copyFromUtf8("ünï"))
                .build()));
  }

  public static Samples of(String datatype) {
    return all().filter(s -> s.datatype.equals(datatype)).findFirst().orElseThrow();
  }

  @Override
  public String toString() {
    return datatype;
  }

  private static ByteBuffer le(int bytesPerValue) {
    return ByteBuffer.allocate(3 * bytesPerValue).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  private static InferTensorContents uints(int... values) {
    InferTensorContents.Builder c = InferTensorContents.newBuilder();
    for (int v : values) {
      c.addUintContents(v);
    }
    return c.build();
  }

  private static InferTensorContents ints(int... values) {
    InferTensorContents.Builder c = InferTensorContents.newBuilder();
    for (int v : values) {
      c.addIntContents(v);
    }
    return c.build();
  }

  /** BYTES in raw form: each element as a 4-byte little-endian length, then its bytes. */
  public static byte[] bytesElements(String... elements) {
    int size = 0;
    for (String e : elements) {
      size += 4 + e.getBytes(StandardCharsets.UTF_8).length;
    }
    ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    for (String e : elements) {
      byte[] b = e.getBytes(StandardCharsets.UTF_8);
      out.putInt(b.length).put(b);
    }
    return out.array();
  }
}
