package io.pipeserve.runtime.tensor;

import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.List;

/**
 * Row (dimension 0) operations: gathering rows of several tensors into one batch and splitting a
 * batch back. Rows whose trailing dimensions differ are zero-padded at the end of each dimension to
 * the largest, as PaddleOCR pads text crops of different widths.
 */
public final class Rows {
  private Rows() {}

  /** One row of a tensor. */
  public record Row(Tensor tensor, int index) {}

  /** Stacks the rows into a tensor [rows.size(), ...max trailing dims]. */
  public static Tensor stack(List<Row> rows) {
    Tensor first = rows.get(0).tensor();
    DType dtype = first.dtype();
    long[] trailing = new long[first.rank() - 1];
    for (Row r : rows) {
      Tensor t = r.tensor();
      if (t.dtype() != dtype || t.rank() != first.rank()) {
        throw new IllegalArgumentException(
            "cannot batch " + first + " with " + t + ": dtype and rank must match");
      }
      for (int d = 0; d < trailing.length; d++) {
        trailing[d] = Math.max(trailing[d], t.dim(d + 1));
      }
    }
    long[] shape = new long[first.rank()];
    shape[0] = rows.size();
    System.arraycopy(trailing, 0, shape, 1, trailing.length);
    int rowSize = Math.toIntExact(Tensor.elementCount(trailing));
    Object out = Array.newInstance(dtype.arrayType().getComponentType(), rows.size() * rowSize);
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      copyPadded(r.tensor(), r.index(), trailing, out, i * rowSize);
    }
    if (dtype == DType.STRING) {
      fillNulls((String[]) out, "");
    }
    return new Tensor(dtype, shape, out);
  }

  /** The number of rows (dimension 0); a scalar counts as one row. */
  public static int count(Tensor t) {
    return t.rank() == 0 ? 1 : Math.toIntExact(t.dim(0));
  }

  private static void copyPadded(Tensor src, int row, long[] dstTrailing, Object dst, int dstBase) {
    long[] srcShape = src.shape();
    int rank = srcShape.length - 1;
    long[] srcTrailing = Arrays.copyOfRange(srcShape, 1, srcShape.length);
    int srcRowSize = Math.toIntExact(Tensor.elementCount(srcTrailing));
    int srcBase = row * srcRowSize;
    if (Arrays.equals(srcTrailing, dstTrailing)) {
      System.arraycopy(src.data(), srcBase, dst, dstBase, srcRowSize);
      return;
    }
    // Copy the innermost runs one by one: each run keeps its place in the larger padded layout.
    int inner = Math.toIntExact(srcShape[rank]);
    int runs = srcRowSize / Math.max(inner, 1);
    long[] idx = new long[rank - 1];
    for (int run = 0; run < runs; run++) {
      long dstOffset = 0;
      for (int d = 0; d < rank - 1; d++) {
        dstOffset = dstOffset * dstTrailing[d] + idx[d];
      }
      dstOffset *= dstTrailing[rank - 1];
      System.arraycopy(src.data(), srcBase + run * inner, dst, dstBase + (int) dstOffset, inner);
      for (int d = rank - 2; d >= 0; d--) {
        if (++idx[d] < srcShape[d + 1]) {
          break;
        }
        idx[d] = 0;
      }
    }
  }

  private static void fillNulls(String[] a, String value) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == null) {
        a[i] = value;
      }
    }
  }
}
