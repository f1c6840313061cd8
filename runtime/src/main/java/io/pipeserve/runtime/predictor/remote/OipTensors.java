package io.pipeserve.runtime.predictor.remote;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.pipeserve.proto.inference.InferTensorContents;
import io.pipeserve.runtime.gateway.oip.Datatype;
import io.pipeserve.runtime.gateway.oip.OipError;
import io.pipeserve.runtime.gateway.oip.RawTensors;
import io.pipeserve.runtime.gateway.oip.grpc.TypedContents;
import io.pipeserve.runtime.tensor.DType;
import io.pipeserve.runtime.tensor.Tensor;

/**
 * Tensors in the Open Inference Protocol's forms, for the client side: the same codecs the OIP
 * server uses ({@link RawTensors}, {@link TypedContents}), with the client's error type. The raw
 * form ({@code raw_input_contents} / {@code raw_output_contents}) is the elements little-endian and
 * packed, BYTES elements each preceded by its 4-byte little-endian length.
 */
public final class OipTensors {
  private OipTensors() {}

  /**
   * The OIP datatype of a pipeserve element type; STRING travels as BYTES (UTF-8), as the protocol
   * has no string type.
   */
  public static String datatype(DType dtype) {
    return Datatype.of(dtype).name();
  }

  /** The pipeserve element type of an OIP datatype; null for an unknown name. */
  public static DType dtype(String datatype) {
    for (Datatype t : Datatype.values()) {
      if (t.name().equals(datatype)) {
        return t.dtype();
      }
    }
    return null;
  }

  /** A tensor's elements in the raw form; a view, not a copy, where the tensor allows. */
  public static ByteString raw(Tensor t) {
    return UnsafeByteOperations.unsafeWrap(RawTensors.encode(t));
  }

  /**
   * Reads a tensor from the raw form.
   *
   * @throws IllegalArgumentException when the bytes do not hold {@code shape}'s elements of {@code
   *     dtype}
   */
  public static Tensor fromRaw(DType dtype, long[] shape, ByteString raw) {
    try {
      return RawTensors.decode(Datatype.of(dtype), shape, raw.asReadOnlyByteBuffer(), "raw data");
    } catch (OipError e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * Reads a tensor from the typed contents; FP16 and BF16 have none (the protocol sends them raw).
   *
   * @throws IllegalArgumentException when the contents do not hold {@code shape}'s elements
   */
  public static Tensor fromContents(DType dtype, long[] shape, InferTensorContents contents) {
    try {
      return TypedContents.decode(Datatype.of(dtype), shape, contents, "contents");
    } catch (OipError e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
