package io.pipeserve.runtime.step.ensemble;

import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.step.Params;
import io.pipeserve.runtime.tensor.DType;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reading the FP32 tensors the ensemble steps work on: each is a set of rows along its last axis
 * (classes, scores). An absent field is a model output for zero items, so the steps then write
 * nothing either.
 */
final class LastAxis {
  private LastAxis() {}

  /** The FP32 tensor with a non-empty last axis, or null when the field is absent. */
  static Tensor read(Sample sample, String field) {
    if (!sample.has(field)) {
      return null;
    }
    Tensor t = sample.tensor(field);
    if (t.dtype() != DType.FP32 || t.rank() < 1 || t.dim(t.rank() - 1) < 1) {
      throw PipelineException.type(
          "field '"
              + field
              + "' must be an FP32 tensor with a non-empty last axis, got "
              + describe(t));
    }
    return t;
  }

  /** All the fields, or null when all are absent; some absent is an input error. */
  static List<Tensor> readAll(Sample sample, List<String> fields) {
    List<String> missing = fields.stream().filter(f -> !sample.has(f)).toList();
    if (missing.size() == fields.size()) {
      return null;
    }
    if (!missing.isEmpty()) {
      throw PipelineException.input(
          "missing fields " + missing + " (all of " + fields + " are needed to combine them)");
    }
    List<Tensor> tensors = new ArrayList<>();
    for (String field : fields) {
      tensors.add(read(sample, field));
    }
    return tensors;
  }

  /** The size of the last axis. */
  static int width(Tensor t) {
    return (int) t.dim(t.rank() - 1);
  }

  /** The number of rows: all dimensions but the last multiplied. */
  static int rows(Tensor t) {
    return (int) (t.elementCount() / Math.max(1, width(t)));
  }

  /** The shape with its last axis replaced by {@code width}, or dropped when width is -1. */
  static long[] withLastAxis(Tensor t, int width) {
    long[] shape = t.shape();
    if (width < 0) {
      return Arrays.copyOf(shape, shape.length - 1);
    }
    shape[shape.length - 1] = width;
    return shape;
  }

  /** The field names of a combine step: at least one. */
  static List<String> inputs(Params params) {
    List<String> inputs = params.strings("inputs", List.of());
    if (inputs.isEmpty()) {
      throw params.invalid("inputs", "is required: the fields to combine, e.g. [a.prob, b.prob]");
    }
    return inputs;
  }

  static String describe(Tensor t) {
    return t.dtype() + " " + Arrays.toString(t.shape());
  }
}
