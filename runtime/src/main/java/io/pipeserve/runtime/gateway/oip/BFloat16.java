package io.pipeserve.runtime.gateway.oip;

/**
 * bfloat16 conversions: the upper 16 bits of an IEEE 754 float, rounded to nearest even, as PyTorch
 * and NumPy's ml_dtypes convert. Used where the protocol carries BF16 values as numbers.
 */
public final class BFloat16 {
  private BFloat16() {}

  public static short fromFloat(float value) {
    int bits = Float.floatToRawIntBits(value);
    if (Float.isNaN(value)) {
      // Keep it a NaN: truncating could leave only zero mantissa bits (an infinity).
      return (short) ((bits >>> 16) | 0x40);
    }
    int roundingBias = 0x7fff + ((bits >>> 16) & 1);
    return (short) ((bits + roundingBias) >>> 16);
  }

  public static float toFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }
}
