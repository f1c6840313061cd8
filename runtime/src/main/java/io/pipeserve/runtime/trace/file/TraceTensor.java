package io.pipeserve.runtime.trace.file;

import java.util.Locale;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * A tensor as Triton's TENSORS level writes it: every field a string, {@code data} and {@code
 * shape} comma-separated, {@code dtype} a Triton datatype name (FP32, INT64, BYTES, ...).
 *
 * <p>The factories format values as Triton's {@code TraceTensorActivity} does (C++ stream output:
 * six significant digits for floats, 1/0 for BOOL, each BYTES element in double quotes), so that
 * Triton's trace_summary.py can rebuild the array from {@code data} and {@code shape}.
 */
public record TraceTensor(String name, String data, String shape, String dtype) {
  public TraceTensor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(dtype, "dtype");
  }

  public static TraceTensor ofFloats(String name, long[] shape, float[] values) {
    return new TraceTensor(
        name, join(values.length, i -> cFloat(values[i])), shape(shape, values.length), "FP32");
  }

  public static TraceTensor ofDoubles(String name, long[] shape, double[] values) {
    return new TraceTensor(
        name, join(values.length, i -> cFloat(values[i])), shape(shape, values.length), "FP64");
  }

  public static TraceTensor ofInts(String name, long[] shape, int[] values) {
    return new TraceTensor(
        name,
        join(values.length, i -> Integer.toString(values[i])),
        shape(shape, values.length),
        "INT32");
  }

  public static TraceTensor ofLongs(String name, long[] shape, long[] values) {
    return new TraceTensor(
        name,
        join(values.length, i -> Long.toString(values[i])),
        shape(shape, values.length),
        "INT64");
  }

  public static TraceTensor ofBooleans(String name, long[] shape, boolean[] values) {
    return new TraceTensor(
        name, join(values.length, i -> values[i] ? "1" : "0"), shape(shape, values.length), "BOOL");
  }

  public static TraceTensor ofStrings(String name, long[] shape, String[] values) {
    return new TraceTensor(
        name,
        join(values.length, i -> '"' + values[i] + '"'),
        shape(shape, values.length),
        "BYTES");
  }

  /** C++'s default {@code ostream << float}: {@code %g} with six digits, trailing zeros removed. */
  static String cFloat(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Double.isNaN(value) ? "nan" : (value > 0 ? "inf" : "-inf");
    }
    String g = String.format(Locale.ROOT, "%.6g", value);
    int e = g.indexOf('e');
    String mantissa = e < 0 ? g : g.substring(0, e);
    String exponent = e < 0 ? "" : g.substring(e);
    if (mantissa.indexOf('.') >= 0) {
      mantissa = mantissa.replaceAll("0+$", "");
      if (mantissa.endsWith(".")) {
        mantissa = mantissa.substring(0, mantissa.length() - 1);
      }
    }
    return mantissa + exponent;
  }

  private static String shape(long[] shape, int elements) {
    long product = 1;
    for (long dim : shape) {
      product *= dim;
    }
    if (product != elements) {
      throw new IllegalArgumentException(
          "shape "
              + java.util.Arrays.toString(shape)
              + " holds "
              + product
              + " elements, not "
              + elements);
    }
    return join(shape.length, i -> Long.toString(shape[i]));
  }

  private static String join(int count, IntFunction<String> element) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(element.apply(i));
    }
    return out.toString();
  }
}
