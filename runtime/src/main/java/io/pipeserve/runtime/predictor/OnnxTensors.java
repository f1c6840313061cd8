package io.pipeserve.runtime.predictor;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.tensor.DType;
import io.pipeserve.runtime.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

/** Conversions between pipeserve tensors and ONNX Runtime tensors. */
final class OnnxTensors {
  private OnnxTensors() {}

  static OnnxTensor toOnnx(OrtEnvironment env, Tensor t) throws OrtException {
    if (t.isByteBacked()) {
      return fromBytes(env, t);
    }
    long[] shape = t.shape();
    return switch (t.dtype()) {
      case FP32 -> OnnxTensor.createTensor(env, FloatBuffer.wrap(t.floats()), shape);
      case FP64 -> OnnxTensor.createTensor(env, DoubleBuffer.wrap((double[]) t.data()), shape);
      case INT64 -> OnnxTensor.createTensor(env, LongBuffer.wrap(t.longs()), shape);
      case INT32 -> OnnxTensor.createTensor(env, IntBuffer.wrap(t.ints()), shape);
      case INT16 -> OnnxTensor.createTensor(env, ShortBuffer.wrap((short[]) t.data()), shape);
      case FP16 ->
          OnnxTensor.createTensor(
              env, ShortBuffer.wrap((short[]) t.data()), shape, OnnxJavaType.FLOAT16);
      case BF16 ->
          OnnxTensor.createTensor(
              env, ShortBuffer.wrap((short[]) t.data()), shape, OnnxJavaType.BFLOAT16);
      case INT8 -> OnnxTensor.createTensor(env, ByteBuffer.wrap(t.bytes()), shape);
      case UINT8 ->
          OnnxTensor.createTensor(env, ByteBuffer.wrap(t.bytes()), shape, OnnxJavaType.UINT8);
      case BOOL -> {
        boolean[] b = (boolean[]) t.data();
        byte[] bytes = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
          bytes[i] = (byte) (b[i] ? 1 : 0);
        }
        yield OnnxTensor.createTensor(env, ByteBuffer.wrap(bytes), shape, OnnxJavaType.BOOL);
      }
      case STRING -> OnnxTensor.createTensor(env, t.strings(), shape);
      case BYTES -> throw new IllegalArgumentException("ONNX models take no BYTES tensors");
      case UINT16, UINT32, UINT64 -> throw unsupported(t);
    };
  }

  /**
   * A tensor made from wire bytes goes in without becoming an array first: a direct buffer in the
   * platform's order is used in place; any other is copied once, in bulk, into the direct memory
   * ONNX Runtime needs (as an array would be).
   */
  private static OnnxTensor fromBytes(OrtEnvironment env, Tensor t) throws OrtException {
    long[] shape = t.shape();
    ByteBuffer bytes = t.littleEndian();
    if (bytes.isDirect() && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
      OnnxJavaType type = javaType(t);
      if (type != null) {
        return OnnxTensor.createTensor(env, bytes, shape, type);
      }
    }
    // ONNX Runtime copies a heap buffer by its element type, so it gets a typed view of the bytes.
    return switch (t.dtype()) {
      case FP32 -> OnnxTensor.createTensor(env, bytes.asFloatBuffer(), shape);
      case FP64 -> OnnxTensor.createTensor(env, bytes.asDoubleBuffer(), shape);
      case INT64 -> OnnxTensor.createTensor(env, bytes.asLongBuffer(), shape);
      case INT32 -> OnnxTensor.createTensor(env, bytes.asIntBuffer(), shape);
      case INT16 -> OnnxTensor.createTensor(env, bytes.asShortBuffer(), shape);
      case FP16 -> OnnxTensor.createTensor(env, bytes.asShortBuffer(), shape, OnnxJavaType.FLOAT16);
      case BF16 ->
          OnnxTensor.createTensor(env, bytes.asShortBuffer(), shape, OnnxJavaType.BFLOAT16);
      case INT8 -> OnnxTensor.createTensor(env, bytes, shape, OnnxJavaType.INT8);
      case UINT8 -> OnnxTensor.createTensor(env, bytes, shape, OnnxJavaType.UINT8);
      case BOOL -> OnnxTensor.createTensor(env, bytes, shape, OnnxJavaType.BOOL);
      case STRING, BYTES -> throw new IllegalStateException(t + " cannot be byte-backed");
      case UINT16, UINT32, UINT64 -> throw unsupported(t);
    };
  }

  private static OnnxJavaType javaType(Tensor t) {
    return switch (t.dtype()) {
      case FP32 -> OnnxJavaType.FLOAT;
      case FP64 -> OnnxJavaType.DOUBLE;
      case INT64 -> OnnxJavaType.INT64;
      case INT32 -> OnnxJavaType.INT32;
      case INT16 -> OnnxJavaType.INT16;
      case FP16 -> OnnxJavaType.FLOAT16;
      case BF16 -> OnnxJavaType.BFLOAT16;
      case INT8 -> OnnxJavaType.INT8;
      case UINT8 -> OnnxJavaType.UINT8;
      case BOOL -> OnnxJavaType.BOOL;
      default -> null;
    };
  }

  // ONNX Runtime's Java API has no unsigned tensors wider than 8 bits.
  private static PipelineException unsupported(Tensor t) {
    return PipelineException.type(
        t.dtype() + " tensors cannot be given to ONNX Runtime from Java; convert them first");
  }

  static Tensor fromOnnx(OnnxTensor o) throws OrtException {
    TensorInfo info = o.getInfo();
    long[] shape = info.getShape();
    int n = Math.toIntExact(Tensor.elementCount(shape));
    return switch (info.type) {
      case FLOAT -> {
        float[] a = new float[n];
        o.getFloatBuffer().get(a);
        yield new Tensor(DType.FP32, shape, a);
      }
      case DOUBLE -> {
        double[] a = new double[n];
        o.getDoubleBuffer().get(a);
        yield new Tensor(DType.FP64, shape, a);
      }
      case INT64 -> {
        long[] a = new long[n];
        o.getLongBuffer().get(a);
        yield new Tensor(DType.INT64, shape, a);
      }
      case INT32 -> {
        int[] a = new int[n];
        o.getIntBuffer().get(a);
        yield new Tensor(DType.INT32, shape, a);
      }
      case INT16, FLOAT16, BFLOAT16 -> {
        short[] a = new short[n];
        o.getShortBuffer().get(a);
        DType d =
            info.type == OnnxJavaType.INT16
                ? DType.INT16
                : info.type == OnnxJavaType.FLOAT16 ? DType.FP16 : DType.BF16;
        yield new Tensor(d, shape, a);
      }
      case INT8, UINT8 -> {
        byte[] a = new byte[n];
        o.getByteBuffer().get(a);
        yield new Tensor(info.type == OnnxJavaType.UINT8 ? DType.UINT8 : DType.INT8, shape, a);
      }
      case BOOL -> {
        byte[] raw = new byte[n];
        o.getByteBuffer().get(raw);
        boolean[] a = new boolean[n];
        for (int i = 0; i < n; i++) {
          a[i] = raw[i] != 0;
        }
        yield new Tensor(DType.BOOL, shape, a);
      }
      case STRING -> {
        String[] flat = flattenStrings(o.getValue(), n);
        yield new Tensor(DType.STRING, shape, flat);
      }
      default -> throw new IllegalStateException("unsupported ONNX output type " + info.type);
    };
  }

  /** The pipeserve dtype of an ONNX element type; null when pipeserve has none. */
  static DType dtypeOf(OnnxJavaType type) {
    return switch (type) {
      case FLOAT -> DType.FP32;
      case DOUBLE -> DType.FP64;
      case INT64 -> DType.INT64;
      case INT32 -> DType.INT32;
      case INT16 -> DType.INT16;
      case FLOAT16 -> DType.FP16;
      case BFLOAT16 -> DType.BF16;
      case INT8 -> DType.INT8;
      case UINT8 -> DType.UINT8;
      case BOOL -> DType.BOOL;
      case STRING -> DType.STRING;
      default -> null;
    };
  }

  /** The pipeserve dtype of an ONNX tensor element type; null when pipeserve has none. */
  static DType dtypeOf(TensorInfo.OnnxTensorType type) {
    return switch (type) {
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> DType.FP32;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> DType.FP64;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> DType.FP16;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16 -> DType.BF16;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> DType.INT8;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> DType.INT16;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> DType.INT32;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> DType.INT64;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> DType.UINT8;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> DType.UINT16;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> DType.UINT32;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 -> DType.UINT64;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> DType.BOOL;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> DType.STRING;
      default -> null;
    };
  }

  private static String[] flattenStrings(Object value, int n) {
    String[] out = new String[n];
    int[] pos = {0};
    flatten(value, out, pos);
    return out;
  }

  private static void flatten(Object value, String[] out, int[] pos) {
    if (value instanceof String s) {
      out[pos[0]++] = s;
    } else {
      for (Object o : (Object[]) value) {
        flatten(o, out, pos);
      }
    }
  }
}
