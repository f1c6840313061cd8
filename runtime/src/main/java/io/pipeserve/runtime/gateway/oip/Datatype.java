package io.pipeserve.runtime.gateway.oip;

import io.pipeserve.runtime.tensor.DType;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The Open Inference Protocol's tensor datatypes, each with the pipeserve element type that holds
 * it. pipeserve's STRING tensors (and string fields) go out as BYTES, UTF-8 encoded, as Triton
 * sends strings.
 */
public enum Datatype {
  BOOL(DType.BOOL),
  UINT8(DType.UINT8),
  UINT16(DType.UINT16),
  UINT32(DType.UINT32),
  UINT64(DType.UINT64),
  INT8(DType.INT8),
  INT16(DType.INT16),
  INT32(DType.INT32),
  INT64(DType.INT64),
  FP16(DType.FP16),
  BF16(DType.BF16),
  FP32(DType.FP32),
  FP64(DType.FP64),
  BYTES(DType.BYTES);

  private static final String NAMES =
      Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));

  private final DType dtype;

  Datatype(DType dtype) {
    this.dtype = dtype;
  }

  public DType dtype() {
    return dtype;
  }

  /** Bytes per element in raw form; -1 for BYTES (each element is length-prefixed). */
  public int byteSize() {
    return dtype.byteSize();
  }

  /** The datatype a pipeserve tensor of {@code dtype} is sent as. */
  public static Datatype of(DType dtype) {
    return dtype == DType.STRING ? BYTES : valueOf(dtype.name());
  }

  /**
   * The datatype named {@code name}.
   *
   * @param where the tensor, for the error message ("input 'x'")
   * @throws OipError INVALID naming the datatypes there are
   */
  public static Datatype parse(String name, String where) {
    if (name == null || name.isEmpty()) {
      throw OipError.invalid(where + " has no datatype; use one of " + NAMES);
    }
    for (Datatype t : values()) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    throw OipError.invalid(
        where + ": datatype '" + name + "' is not supported; use one of " + NAMES);
  }
}
