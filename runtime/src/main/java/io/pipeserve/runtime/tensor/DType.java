package io.pipeserve.runtime.tensor;

/**
 * Element types, with the Java array that holds each and the Paddle {@code elem_type} code.
 * FP16/BF16 are kept as raw bits in a {@code short[]}; the unsigned types in the signed array of
 * their width, read unsigned ({@code Short.toUnsignedInt}, {@code Long.toUnsignedString}).
 */
public enum DType {
  INT64(0, long[].class, 8),
  FP32(1, float[].class, 4),
  INT32(2, int[].class, 4),
  FP64(3, double[].class, 8),
  INT16(4, short[].class, 2),
  FP16(5, short[].class, 2),
  BF16(6, short[].class, 2),
  UINT8(7, byte[].class, 1),
  INT8(8, byte[].class, 1),
  BOOL(9, boolean[].class, 1),
  STRING(12, String[].class, -1),
  BYTES(13, byte[][].class, -1),
  // The Open Inference Protocol's wider unsigned types; Paddle has no elem_type for them.
  UINT16(-1, short[].class, 2),
  UINT32(-1, int[].class, 4),
  UINT64(-1, long[].class, 8);

  private final int paddleCode;
  private final Class<?> arrayType;
  private final int byteSize;

  DType(int paddleCode, Class<?> arrayType, int byteSize) {
    this.paddleCode = paddleCode;
    this.arrayType = arrayType;
    this.byteSize = byteSize;
  }

  /** The Paddle {@code elem_type}; -1 for the types Paddle has none for (see {@link #isPaddle}). */
  public int paddleCode() {
    return paddleCode;
  }

  /** Whether Paddle's wire format has an {@code elem_type} for this type. */
  public boolean isPaddle() {
    return paddleCode >= 0;
  }

  public Class<?> arrayType() {
    return arrayType;
  }

  /** Bytes per element; -1 for variable-size elements (STRING, BYTES). */
  public int byteSize() {
    return byteSize;
  }

  /** The type with this Paddle {@code elem_type}; null when there is none. */
  public static DType fromPaddleCode(int code) {
    for (DType t : values()) {
      if (t.isPaddle() && t.paddleCode == code) {
        return t;
      }
    }
    return null;
  }
}
