package io.pipeserve.runtime.gateway.oip;

import java.util.Arrays;
import java.util.List;

/** Checks on the shapes clients send. */
public final class Shapes {
  private Shapes() {}

  /**
   * The shape as an array.
   *
   * @throws OipError INVALID for a negative dimension
   */
  public static long[] of(List<Long> dims, String where) {
    long[] shape = new long[dims.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = dims.get(i);
    }
    elementCount(shape, where);
    return shape;
  }

  /**
   * The number of elements of {@code shape}.
   *
   * @throws OipError INVALID for a negative dimension or a count beyond what a request can carry
   */
  public static long elementCount(long[] shape, String where) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw OipError.invalid(
            where + ": shape " + Arrays.toString(shape) + " has a negative dimension");
      }
      try {
        n = Math.multiplyExact(n, d);
      } catch (ArithmeticException e) {
        n = Long.MAX_VALUE;
      }
    }
    if (n > Integer.MAX_VALUE - 8) {
      throw OipError.invalid(
          where
              + ": shape "
              + Arrays.toString(shape)
              + " has more elements than a tensor can hold");
    }
    return n;
  }
}
