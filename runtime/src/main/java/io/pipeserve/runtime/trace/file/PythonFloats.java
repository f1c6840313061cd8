package io.pipeserve.runtime.trace.file;

import java.math.BigDecimal;

/**
 * Formats a double as Python 3's {@code str(float)}: the shortest digits that read back the same,
 * fixed notation between 1e-4 and 1e16, always a decimal point. The summary prints its figures this
 * way so that its output reads the same as Triton's trace_summary.py, line for line.
 */
final class PythonFloats {
  private PythonFloats() {}

  static String repr(double value) {
    if (Double.isNaN(value)) {
      return "nan";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    if (value == 0) {
      return (1 / value < 0) ? "-0.0" : "0.0";
    }
    BigDecimal decimal = new BigDecimal(Double.toString(value)).stripTrailingZeros();
    int exponent = decimal.precision() - decimal.scale() - 1;
    if (exponent >= -4 && exponent < 16) {
      String plain = decimal.toPlainString();
      return plain.indexOf('.') >= 0 ? plain : plain + ".0";
    }
    String digits = decimal.unscaledValue().abs().toString();
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    String sign = value < 0 ? "-" : "";
    String expSign = exponent < 0 ? "-" : "+";
    return sign + mantissa + "e" + expSign + String.format("%02d", Math.abs(exponent));
  }
}
