package io.pipeserve.runtime.gateway;

/**
 * IEEE 754 half-precision conversions. Paddle carries FP16 tensors as {@code float_data} on the
 * wire (and Open Inference Protocol JSON as numbers) while pipeserve keeps them as raw 16-bit
 * patterns; Java 17 has no built-in conversion.
 */
public final class Float16 {
  private Float16() {}

  /** The half-precision bits nearest to {@code value} (round half to even, as hardware does). */
  public static short fromFloat(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exponent = (bits >>> 23) & 0xff;
    int mantissa = bits & 0x7fffff;
    if (exponent == 0xff) {
      // Infinity stays infinity; NaN keeps a quiet bit so it cannot collapse into infinity.
      return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 | (mantissa >>> 13) : 0));
    }
    int halfExponent = exponent - 127 + 15;
    if (halfExponent >= 0x1f) {
      return (short) (sign | 0x7c00);
    }
    if (halfExponent <= 0) {
      if (halfExponent < -10) {
        return (short) sign;
      }
      return (short) (sign | roundShift(mantissa | 0x800000, 14 - halfExponent));
    }
    // A carry out of the mantissa correctly bumps the exponent (up to infinity).
    return (short) (sign | roundShift((halfExponent << 23) | mantissa, 13));
  }

  public static float toFloat(short half) {
    int bits = half & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      float subnormal = mantissa * 0x1p-24f;
      return sign != 0 ? -subnormal : subnormal;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  private static int roundShift(int value, int shift) {
    int result = value >>> shift;
    int remainder = value & ((1 << shift) - 1);
    int halfway = 1 << (shift - 1);
    if (remainder > halfway || (remainder == halfway && (result & 1) != 0)) {
      result++;
    }
    return result;
  }
}
