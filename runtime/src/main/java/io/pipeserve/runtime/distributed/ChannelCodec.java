package io.pipeserve.runtime.distributed;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.pipeserve.proto.channel.DataType;
import io.pipeserve.proto.channel.Error;
import io.pipeserve.proto.channel.Field;
import io.pipeserve.proto.channel.TensorList;
import io.pipeserve.runtime.error.ErrorCode;
import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.tensor.DType;
import io.pipeserve.runtime.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sample fields and errors to and from the channel service's messages. A field crosses the hop as a
 * string, a tensor (fixed-size elements as raw little-endian bytes: one bulk copy each way), or a
 * list of tensors (OCR crops). Anything else a step may keep in a sample stays in its process;
 * sending it is an error naming the field.
 */
final class ChannelCodec {
  private ChannelCodec() {}

  /**
   * The wire fields of a sample.
   *
   * @param op the remote op, for the message of a field that cannot cross
   * @throws PipelineException UNKNOW naming a field of another type
   */
  static List<Field> encode(Map<String, Object> fields, String op) {
    List<Field> wire = new ArrayList<>(fields.size());
    for (Map.Entry<String, Object> f : fields.entrySet()) {
      Field.Builder field = Field.newBuilder().setName(f.getKey());
      Object value = f.getValue();
      if (value instanceof String text) {
        field.setText(text);
      } else if (value instanceof Tensor tensor) {
        field.setTensor(encode(tensor));
      } else if (value instanceof List<?> list
          && list.stream().allMatch(Tensor.class::isInstance)) {
        TensorList.Builder tensors = TensorList.newBuilder();
        list.forEach(t -> tensors.addItems(encode((Tensor) t)));
        field.setTensorList(tensors);
      } else {
        throw new PipelineException(
            ErrorCode.UNKNOW,
            "field '"
                + f.getKey()
                + "' is a "
                + value.getClass().getName()
                + ", which cannot cross to op '"
                + op
                + "' in its own process: only strings, tensors and lists of tensors can (drop the"
                + " field with the outputs of the op that makes it)");
      }
      wire.add(field.build());
    }
    return wire;
  }

  /**
   * The sample fields of wire fields.
   *
   * @throws PipelineException RPC_PACKAGE_ERROR naming a malformed field
   */
  static Map<String, Object> decode(List<Field> wire) {
    Map<String, Object> fields = new LinkedHashMap<>(wire.size() * 2);
    for (Field f : wire) {
      String where = "field '" + f.getName() + "'";
      Object value =
          switch (f.getValueCase()) {
            case TEXT -> f.getText();
            case TENSOR -> decode(f.getTensor(), where);
            case TENSOR_LIST -> {
              List<Tensor> list = new ArrayList<>(f.getTensorList().getItemsCount());
              for (int i = 0; i < f.getTensorList().getItemsCount(); i++) {
                list.add(decode(f.getTensorList().getItems(i), where + "[" + i + "]"));
              }
              yield list;
            }
            case VALUE_NOT_SET -> throw malformed(where + " has no value");
          };
      fields.put(f.getName(), value);
    }
    return fields;
  }

  static io.pipeserve.proto.channel.Tensor encode(Tensor t) {
    io.pipeserve.proto.channel.Tensor.Builder wire =
        io.pipeserve.proto.channel.Tensor.newBuilder()
            .setDatatype(DataType.valueOf(t.dtype().name()));
    for (long d : t.shape()) {
      wire.addShape(d);
    }
    Object data = t.data();
    switch (t.dtype()) {
      case STRING -> {
        for (String s : (String[]) data) {
          wire.addElements(ByteString.copyFromUtf8(s));
        }
      }
      case BYTES -> {
        for (byte[] b : (byte[][]) data) {
          wire.addElements(ByteString.copyFrom(b));
        }
      }
      default -> wire.setRaw(raw(t.dtype(), data));
    }
    return wire.build();
  }

  static Tensor decode(io.pipeserve.proto.channel.Tensor wire, String where) {
    DType dtype;
    try {
      dtype = DType.valueOf(wire.getDatatype().name());
    } catch (IllegalArgumentException e) {
      throw malformed(where + ": unknown datatype " + wire.getDatatypeValue());
    }
    long[] shape = wire.getShapeList().stream().mapToLong(Long::longValue).toArray();
    long count;
    try {
      count = Tensor.elementCount(shape);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw malformed(where + ": bad shape " + Arrays.toString(shape));
    }
    Object data;
    if (dtype == DType.STRING || dtype == DType.BYTES) {
      if (wire.getElementsCount() != count) {
        throw malformed(
            where
                + ": shape "
                + Arrays.toString(shape)
                + " needs "
                + count
                + " elements, got "
                + wire.getElementsCount());
      }
      data = dtype == DType.STRING ? strings(wire) : blobs(wire);
    } else {
      if (wire.getRaw().size() != count * dtype.byteSize()) {
        throw malformed(
            where
                + ": shape "
                + Arrays.toString(shape)
                + " of "
                + dtype
                + " needs "
                + count * dtype.byteSize()
                + " bytes, got "
                + wire.getRaw().size());
      }
      data = fromRaw(dtype, (int) count, wire.getRaw());
    }
    return new Tensor(dtype, shape, data);
  }

  /** The error of a failed sample, as the op process answers it. */
  static Error encode(PipelineException e) {
    return Error.newBuilder()
        .setErrNo(e.errNo())
        .setMessage(e.getMessage() == null ? "" : e.getMessage())
        .build();
  }

  /** The error an op process answered, as the gateway fails the request with it. */
  static PipelineException decode(Error error) {
    int errNo = error.getErrNo();
    if (errNo >= 51 && errNo <= 99) {
      return PipelineException.product(errNo, error.getMessage());
    }
    for (ErrorCode code : ErrorCode.values()) {
      if (code.errNo() == errNo) {
        return new PipelineException(code, error.getMessage());
      }
    }
    return new PipelineException(
        ErrorCode.UNKNOW, error.getMessage() + " (unknown err_no " + errNo + ")");
  }

  private static ByteString raw(DType dtype, Object data) {
    int n = java.lang.reflect.Array.getLength(data);
    ByteBuffer buf = ByteBuffer.allocate(n * dtype.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    switch (dtype) {
      case INT64 -> buf.asLongBuffer().put((long[]) data);
      case FP32 -> buf.asFloatBuffer().put((float[]) data);
      case INT32 -> buf.asIntBuffer().put((int[]) data);
      case FP64 -> buf.asDoubleBuffer().put((double[]) data);
      case INT16, FP16, BF16 -> buf.asShortBuffer().put((short[]) data);
      case UINT8, INT8 -> buf.put((byte[]) data);
      case BOOL -> {
        for (boolean b : (boolean[]) data) {
          buf.put((byte) (b ? 1 : 0));
        }
      }
      default -> throw new IllegalArgumentException(dtype + " has no fixed element size");
    }
    // The array is ours alone from here on: the message may keep it without a copy.
    return UnsafeByteOperations.unsafeWrap(buf.array());
  }

  private static Object fromRaw(DType dtype, int count, ByteString raw) {
    ByteBuffer buf = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    return switch (dtype) {
      case INT64 -> {
        long[] a = new long[count];
        buf.asLongBuffer().get(a);
        yield a;
      }
      case FP32 -> {
        float[] a = new float[count];
        buf.asFloatBuffer().get(a);
        yield a;
      }
      case INT32 -> {
        int[] a = new int[count];
        buf.asIntBuffer().get(a);
        yield a;
      }
      case FP64 -> {
        double[] a = new double[count];
        buf.asDoubleBuffer().get(a);
        yield a;
      }
      case INT16, FP16, BF16 -> {
        short[] a = new short[count];
        buf.asShortBuffer().get(a);
        yield a;
      }
      case UINT8, INT8 -> raw.toByteArray();
      case BOOL -> {
        boolean[] a = new boolean[count];
        for (int i = 0; i < count; i++) {
          a[i] = buf.get(i) != 0;
        }
        yield a;
      }
      default -> throw new IllegalArgumentException(dtype + " has no fixed element size");
    };
  }

  private static String[] strings(io.pipeserve.proto.channel.Tensor wire) {
    String[] out = new String[wire.getElementsCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = wire.getElements(i).toString(StandardCharsets.UTF_8);
    }
    return out;
  }

  private static byte[][] blobs(io.pipeserve.proto.channel.Tensor wire) {
    byte[][] out = new byte[wire.getElementsCount()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = wire.getElements(i).toByteArray();
    }
    return out;
  }

  private static PipelineException malformed(String message) {
    return new PipelineException(ErrorCode.RPC_PACKAGE_ERROR, message);
  }
}
