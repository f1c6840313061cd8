package io.pipeserve.runtime.gateway.oip.grpc;

import com.google.protobuf.ByteString;
import io.pipeserve.proto.inference.InferTensorContents;
import io.pipeserve.runtime.gateway.oip.Datatype;
import io.pipeserve.runtime.gateway.oip.OipError;
import io.pipeserve.runtime.gateway.oip.Shapes;
import io.pipeserve.runtime.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Tensors in gRPC's typed form, {@link InferTensorContents}: one repeated field per family of
 * datatypes (INT8/INT16/INT32 share {@code int_contents}, UINT8/UINT16/UINT32 {@code
 * uint_contents}); values of the narrower types are range-checked on the way in. FP16 and BF16 have
 * no typed field: they travel only as raw contents.
 */
public final class TypedContents {
  private TypedContents() {}

  /** Whether {@code datatype} has a typed field (FP16 and BF16 do not). */
  static boolean hasField(Datatype datatype) {
    return datatype != Datatype.FP16 && datatype != Datatype.BF16;
  }

  /**
   * @param where the tensor, for errors ("input 'x'")
   * @throws OipError INVALID when the count does not match the shape or a value its type
   */
  public static Tensor decode(Datatype type, long[] shape, InferTensorContents c, String where) {
    if (!hasField(type)) {
      throw OipError.invalid(
          where + ": " + type + " has no typed contents field; send it in raw_input_contents");
    }
    long n = Shapes.elementCount(shape, where);
    int count = count(c, type);
    if (count != n) {
      throw OipError.invalid(
          where
              + ": shape "
              + Arrays.toString(shape)
              + " holds "
              + n
              + " elements but contents."
              + field(type)
              + " has "
              + count
              + otherFieldHint(c, type));
    }
    Object data =
        switch (type) {
          case BOOL -> {
            boolean[] a = new boolean[count];
            for (int i = 0; i < count; i++) {
              a[i] = c.getBoolContents(i);
            }
            yield a;
          }
          case INT8 -> {
            byte[] a = new byte[count];
            for (int i = 0; i < count; i++) {
              a[i] =
                  (byte)
                      inRange(c.getIntContents(i), Byte.MIN_VALUE, Byte.MAX_VALUE, i, type, where);
            }
            yield a;
          }
          case INT16 -> {
            short[] a = new short[count];
            for (int i = 0; i < count; i++) {
              a[i] =
                  (short)
                      inRange(
                          c.getIntContents(i), Short.MIN_VALUE, Short.MAX_VALUE, i, type, where);
            }
            yield a;
          }
          case INT32 -> {
            int[] a = new int[count];
            for (int i = 0; i < count; i++) {
              a[i] = c.getIntContents(i);
            }
            yield a;
          }
          case INT64 -> {
            long[] a = new long[count];
            for (int i = 0; i < count; i++) {
              a[i] = c.getInt64Contents(i);
            }
            yield a;
          }
          case UINT8 -> {
            byte[] a = new byte[count];
            for (int i = 0; i < count; i++) {
              a[i] = (byte) inRange(unsigned(c.getUintContents(i)), 0, 0xff, i, type, where);
            }
            yield a;
          }
          case UINT16 -> {
            short[] a = new short[count];
            for (int i = 0; i < count; i++) {
              a[i] = (short) inRange(unsigned(c.getUintContents(i)), 0, 0xffff, i, type, where);
            }
            yield a;
          }
          case UINT32 -> {
            int[] a = new int[count];
            for (int i = 0; i < count; i++) {
              a[i] = c.getUintContents(i);
            }
            yield a;
          }
          case UINT64 -> {
            long[] a = new long[count];
            for (int i = 0; i < count; i++) {
              a[i] = c.getUint64Contents(i);
            }
            yield a;
          }
          case FP32 -> {
            float[] a = new float[count];
            for (int i = 0; i < count; i++) {
              a[i] = c.getFp32Contents(i);
            }
            yield a;
          }
          case FP64 -> {
            double[] a = new double[count];
            for (int i = 0; i < count; i++) {
              a[i] = c.getFp64Contents(i);
            }
            yield a;
          }
          case BYTES -> {
            byte[][] a = new byte[count][];
            for (int i = 0; i < count; i++) {
              a[i] = c.getBytesContents(i).toByteArray();
            }
            yield a;
          }
          case FP16, BF16 -> throw new IllegalStateException("checked above");
        };
    return new Tensor(type.dtype(), shape, data);
  }

  /** The typed contents of {@code tensor}; {@link #hasField} must hold for its datatype. */
  public static InferTensorContents encode(Tensor tensor) {
    InferTensorContents.Builder c = InferTensorContents.newBuilder();
    Object data = tensor.data();
    switch (tensor.dtype()) {
      case BOOL -> {
        for (boolean v : (boolean[]) data) {
          c.addBoolContents(v);
        }
      }
      case INT8 -> {
        for (byte v : (byte[]) data) {
          c.addIntContents(v);
        }
      }
      case INT16 -> {
        for (short v : (short[]) data) {
          c.addIntContents(v);
        }
      }
      case INT32 -> {
        for (int v : (int[]) data) {
          c.addIntContents(v);
        }
      }
      case INT64 -> {
        for (long v : (long[]) data) {
          c.addInt64Contents(v);
        }
      }
      case UINT8 -> {
        for (byte v : (byte[]) data) {
          c.addUintContents(v & 0xff);
        }
      }
      case UINT16 -> {
        for (short v : (short[]) data) {
          c.addUintContents(v & 0xffff);
        }
      }
      case UINT32 -> {
        for (int v : (int[]) data) {
          c.addUintContents(v);
        }
      }
      case UINT64 -> {
        for (long v : (long[]) data) {
          c.addUint64Contents(v);
        }
      }
      case FP32 -> {
        for (float v : (float[]) data) {
          c.addFp32Contents(v);
        }
      }
      case FP64 -> {
        for (double v : (double[]) data) {
          c.addFp64Contents(v);
        }
      }
      case BYTES -> {
        for (byte[] v : (byte[][]) data) {
          c.addBytesContents(ByteString.copyFrom(v));
        }
      }
      case STRING -> {
        for (String v : (String[]) data) {
          c.addBytesContents(ByteString.copyFrom(v, StandardCharsets.UTF_8));
        }
      }
      case FP16, BF16 ->
          throw new IllegalStateException(tensor.dtype() + " has no typed contents field");
    }
    return c.build();
  }

  private static long unsigned(int value) {
    return Integer.toUnsignedLong(value);
  }

  private static long inRange(long v, long min, long max, int i, Datatype type, String where) {
    if (v < min || v > max) {
      throw OipError.invalid(
          where
              + ": contents element "
              + i
              + " ("
              + v
              + ") is outside "
              + type
              + "'s range ["
              + min
              + ", "
              + max
              + "]");
    }
    return v;
  }

  private static int count(InferTensorContents c, Datatype type) {
    return switch (type) {
      case BOOL -> c.getBoolContentsCount();
      case INT8, INT16, INT32 -> c.getIntContentsCount();
      case INT64 -> c.getInt64ContentsCount();
      case UINT8, UINT16, UINT32 -> c.getUintContentsCount();
      case UINT64 -> c.getUint64ContentsCount();
      case FP32 -> c.getFp32ContentsCount();
      case FP64 -> c.getFp64ContentsCount();
      case BYTES -> c.getBytesContentsCount();
      case FP16, BF16 -> 0;
    };
  }

  private static String field(Datatype type) {
    return switch (type) {
      case BOOL -> "bool_contents";
      case INT8, INT16, INT32 -> "int_contents";
      case INT64 -> "int64_contents";
      case UINT8, UINT16, UINT32 -> "uint_contents";
      case UINT64 -> "uint64_contents";
      case FP32 -> "fp32_contents";
      case FP64 -> "fp64_contents";
      case BYTES -> "bytes_contents";
      case FP16, BF16 -> "(none)";
    };
  }

  // The commonest mistake is a datatype that does not match the field filled: point at it.
  private static String otherFieldHint(InferTensorContents c, Datatype type) {
    List<String> others = new ArrayList<>();
    for (Datatype t : Datatype.values()) {
      String f = field(t);
      int n = count(c, t);
      if (n > 0 && !f.equals(field(type)) && others.stream().noneMatch(o -> o.startsWith(f))) {
        others.add(f + " has " + n);
      }
    }
    return others.isEmpty() ? "" : " (" + String.join(", ", others) + "; check the datatype)";
  }
}
