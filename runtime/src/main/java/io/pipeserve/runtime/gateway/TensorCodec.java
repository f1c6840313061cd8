package io.pipeserve.runtime.gateway;

import com.google.protobuf.ByteString;
import io.pipeserve.runtime.error.ErrorCode;
import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.tensor.DType;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Paddle's wire {@code Tensor} to and from pipeserve's {@link Tensor}. Paddle keeps several element
 * types in one wider repeated field (INT8/INT16 in {@code int_data}, UINT8/BF16 in {@code
 * uint32_data}, FP16 in {@code float_data}); those values are range-checked on the way in. The
 * unsigned types Paddle has no elem_type for (UINT16, UINT32, UINT64) go out widened to the signed
 * type that holds every value (INT32, INT64).
 */
final class TensorCodec {
  private TensorCodec() {}

  /**
   * @param where how to name the tensor in error messages, e.g. {@code tensors[1] 'image'}
   */
  static Tensor decode(io.pipeserve.proto.paddle.Tensor wire, String where) {
    return decode(wire, null, where);
  }

  /**
   * @param packed the tensor's float and double data when {@link PaddleWire} took them in bulk
   *     (then absent from {@code wire}); null when they are in {@code wire}
   */
  static Tensor decode(
      io.pipeserve.proto.paddle.Tensor wire, PaddleWire.PackedData packed, String where) {
    DType dtype = DType.fromPaddleCode(wire.getElemType());
    if (dtype == null) {
      throw PipelineException.type(
          where
              + ": elem_type "
              + wire.getElemType()
              + " is not supported; use one of "
              + supportedCodes());
    }
    long[] shape = shapeOf(wire, where);
    if (dtype == DType.BYTES) {
      return decodeBytes(wire, shape, where);
    }
    int count = dataCount(wire, packed, dtype);
    long expected = Tensor.elementCount(shape);
    if (count != expected) {
      throw PipelineException.input(
          where
              + ": shape "
              + Arrays.toString(shape)
              + " needs "
              + expected
              + " values but "
              + dataField(dtype)
              + " (the field of elem_type "
              + dtype.paddleCode()
              + ", "
              + dtype
              + ") has "
              + count
              + otherFieldHint(wire, packed, dtype));
    }
    return new Tensor(dtype, shape, data(wire, packed, dtype, where));
  }

  static io.pipeserve.proto.paddle.Tensor encode(String name, Tensor tensor) {
    io.pipeserve.proto.paddle.Tensor.Builder wire =
        io.pipeserve.proto.paddle.Tensor.newBuilder()
            .setName(name)
            .setElemType(wireType(tensor.dtype()).paddleCode());
    for (long dim : tensor.shape()) {
      if (dim > Integer.MAX_VALUE) {
        throw new PipelineException(
            ErrorCode.UNKNOW,
            "output '" + name + "': dimension " + dim + " exceeds Paddle's int32");
      }
      wire.addShape((int) dim);
    }
    Object data = tensor.data();
    switch (tensor.dtype()) {
      case INT64 -> {
        for (long v : (long[]) data) {
          wire.addInt64Data(v);
        }
      }
      case FP32 -> {
        for (float v : (float[]) data) {
          wire.addFloatData(v);
        }
      }
      case INT32 -> {
        for (int v : (int[]) data) {
          wire.addIntData(v);
        }
      }
      case FP64 -> {
        for (double v : (double[]) data) {
          wire.addFloat64Data(v);
        }
      }
      case INT16 -> {
        for (short v : (short[]) data) {
          wire.addIntData(v);
        }
      }
      case FP16 -> {
        for (short v : (short[]) data) {
          wire.addFloatData(Float16.toFloat(v));
        }
      }
      case BF16 -> {
        for (short v : (short[]) data) {
          wire.addUint32Data(v & 0xffff);
        }
      }
      case UINT8 -> {
        for (byte v : (byte[]) data) {
          wire.addUint32Data(v & 0xff);
        }
      }
      case INT8 -> {
        for (byte v : (byte[]) data) {
          wire.addIntData(v);
        }
      }
      case BOOL -> {
        for (boolean v : (boolean[]) data) {
          wire.addBoolData(v);
        }
      }
      case STRING -> wire.addAllStrData(Arrays.asList((String[]) data));
      case BYTES -> wire.setByteData(ByteString.copyFrom(singleBlob(name, (byte[][]) data)));
      case UINT16 -> {
        for (short v : (short[]) data) {
          wire.addIntData(Short.toUnsignedInt(v));
        }
      }
      case UINT32 -> {
        for (int v : (int[]) data) {
          wire.addInt64Data(Integer.toUnsignedLong(v));
        }
      }
      case UINT64 -> {
        for (long v : (long[]) data) {
          if (v < 0) {
            throw new PipelineException(
                ErrorCode.UNKNOW,
                "output '"
                    + name
                    + "': UINT64 value "
                    + Long.toUnsignedString(v)
                    + " does not fit Paddle's INT64");
          }
          wire.addInt64Data(v);
        }
      }
    }
    return wire.build();
  }

  private static DType wireType(DType dtype) {
    return switch (dtype) {
      case UINT16 -> DType.INT32;
      case UINT32, UINT64 -> DType.INT64;
      default -> dtype;
    };
  }

  private static long[] shapeOf(io.pipeserve.proto.paddle.Tensor wire, String where) {
    long[] shape = new long[wire.getShapeCount()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = wire.getShape(i);
      if (shape[i] < 0) {
        throw PipelineException.input(
            where + ": shape " + wire.getShapeList() + " has a negative dimension");
      }
    }
    return shape;
  }

  // Paddle's byte_data is one opaque blob (an np.save buffer), so a BYTES tensor holds one element.
  private static Tensor decodeBytes(
      io.pipeserve.proto.paddle.Tensor wire, long[] shape, String where) {
    if (shape.length == 0) {
      shape = new long[] {1};
    }
    if (Tensor.elementCount(shape) != 1) {
      throw PipelineException.input(
          where
              + ": a BYTES tensor carries one blob in byte_data, so its shape must hold one element,"
              + " got "
              + Arrays.toString(shape));
    }
    return new Tensor(DType.BYTES, shape, new byte[][] {wire.getByteData().toByteArray()});
  }

  private static byte[] singleBlob(String name, byte[][] blobs) {
    if (blobs.length != 1) {
      throw new PipelineException(
          ErrorCode.UNKNOW,
          "output '"
              + name
              + "': a BYTES tensor with "
              + blobs.length
              + " elements cannot be sent; Paddle's byte_data holds exactly one blob");
    }
    return blobs[0];
  }

  private static int floatCount(
      io.pipeserve.proto.paddle.Tensor wire, PaddleWire.PackedData packed) {
    return packed == null ? wire.getFloatDataCount() : packed.floats().length;
  }

  private static int doubleCount(
      io.pipeserve.proto.paddle.Tensor wire, PaddleWire.PackedData packed) {
    return packed == null ? wire.getFloat64DataCount() : packed.doubles().length;
  }

  private static int dataCount(
      io.pipeserve.proto.paddle.Tensor wire, PaddleWire.PackedData packed, DType dtype) {
    return switch (dtype) {
      case INT64 -> wire.getInt64DataCount();
      case FP32, FP16 -> floatCount(wire, packed);
      case INT32, INT16, INT8 -> wire.getIntDataCount();
      case FP64 -> doubleCount(wire, packed);
      case BF16, UINT8 -> wire.getUint32DataCount();
      case BOOL -> wire.getBoolDataCount();
      case STRING -> wire.getStrDataCount();
      case BYTES -> 1;
      case UINT16, UINT32, UINT64 -> throw noElemType(dtype);
    };
  }

  private static String dataField(DType dtype) {
    return switch (dtype) {
      case INT64 -> "int64_data";
      case FP32, FP16 -> "float_data";
      case INT32, INT16, INT8 -> "int_data";
      case FP64 -> "float64_data";
      case BF16, UINT8 -> "uint32_data";
      case BOOL -> "bool_data";
      case STRING -> "str_data";
      case BYTES -> "byte_data";
      case UINT16, UINT32, UINT64 -> throw noElemType(dtype);
    };
  }

  // Never reached: fromPaddleCode gives no type without an elem_type.
  private static IllegalStateException noElemType(DType dtype) {
    return new IllegalStateException(dtype + " has no Paddle elem_type");
  }

  // The commonest client mistake is a wrong elem_type: point at the field that does hold the data.
  private static String otherFieldHint(
      io.pipeserve.proto.paddle.Tensor wire, PaddleWire.PackedData packed, DType dtype) {
    List<String> others = new ArrayList<>();
    addIfFilled(others, "int64_data", wire.getInt64DataCount(), dtype);
    addIfFilled(others, "float_data", floatCount(wire, packed), dtype);
    addIfFilled(others, "int_data", wire.getIntDataCount(), dtype);
    addIfFilled(others, "float64_data", doubleCount(wire, packed), dtype);
    addIfFilled(others, "uint32_data", wire.getUint32DataCount(), dtype);
    addIfFilled(others, "bool_data", wire.getBoolDataCount(), dtype);
    addIfFilled(others, "str_data", wire.getStrDataCount(), dtype);
    return others.isEmpty() ? "" : " (" + String.join(", ", others) + "; check elem_type)";
  }

  private static void addIfFilled(List<String> out, String field, int count, DType dtype) {
    if (count > 0 && !field.equals(dataField(dtype))) {
      out.add(field + " has " + count + " values");
    }
  }

  private static Object data(
      io.pipeserve.proto.paddle.Tensor wire,
      PaddleWire.PackedData packed,
      DType dtype,
      String where) {
    int n = dataCount(wire, packed, dtype);
    switch (dtype) {
      case INT64:
        {
          long[] out = new long[n];
          for (int i = 0; i < n; i++) {
            out[i] = wire.getInt64Data(i);
          }
          return out;
        }
      case FP32:
        {
          if (packed != null) {
            return packed.floats();
          }
          float[] out = new float[n];
          for (int i = 0; i < n; i++) {
            out[i] = wire.getFloatData(i);
          }
          return out;
        }
      case INT32:
        {
          int[] out = new int[n];
          for (int i = 0; i < n; i++) {
            out[i] = wire.getIntData(i);
          }
          return out;
        }
      case FP64:
        {
          if (packed != null) {
            return packed.doubles();
          }
          double[] out = new double[n];
          for (int i = 0; i < n; i++) {
            out[i] = wire.getFloat64Data(i);
          }
          return out;
        }
      case INT16:
        {
          short[] out = new short[n];
          for (int i = 0; i < n; i++) {
            out[i] =
                (short) inRange(wire.getIntData(i), Short.MIN_VALUE, Short.MAX_VALUE, i, where);
          }
          return out;
        }
      case FP16:
        {
          short[] out = new short[n];
          for (int i = 0; i < n; i++) {
            out[i] = Float16.fromFloat(packed == null ? wire.getFloatData(i) : packed.floats()[i]);
          }
          return out;
        }
      case BF16:
        {
          short[] out = new short[n];
          for (int i = 0; i < n; i++) {
            out[i] = (short) inRange(wire.getUint32Data(i), 0, 0xffff, i, where);
          }
          return out;
        }
      case UINT8:
        {
          byte[] out = new byte[n];
          for (int i = 0; i < n; i++) {
            out[i] = (byte) inRange(wire.getUint32Data(i), 0, 0xff, i, where);
          }
          return out;
        }
      case INT8:
        {
          byte[] out = new byte[n];
          for (int i = 0; i < n; i++) {
            out[i] = (byte) inRange(wire.getIntData(i), Byte.MIN_VALUE, Byte.MAX_VALUE, i, where);
          }
          return out;
        }
      case BOOL:
        {
          boolean[] out = new boolean[n];
          for (int i = 0; i < n; i++) {
            out[i] = wire.getBoolData(i);
          }
          return out;
        }
      case STRING:
        return wire.getStrDataList().toArray(new String[0]);
      default:
        throw new IllegalStateException("BYTES is decoded by decodeBytes");
    }
  }

  private static int inRange(int value, int min, int max, int index, String where) {
    // uint32 arrives as a Java int: read it unsigned so 4294967295 is not mistaken for -1.
    long v = min >= 0 ? Integer.toUnsignedLong(value) : value;
    if (v < min || v > max) {
      throw PipelineException.type(
          where + ": value " + v + " at index " + index + " is outside [" + min + ", " + max + "]");
    }
    return (int) v;
  }

  private static String supportedCodes() {
    StringBuilder codes = new StringBuilder();
    for (DType t : DType.values()) {
      if (!t.isPaddle()) {
        continue;
      }
      codes.append(codes.length() == 0 ? "" : ", ").append(t.paddleCode()).append(" ").append(t);
    }
    return codes.toString();
  }
}
