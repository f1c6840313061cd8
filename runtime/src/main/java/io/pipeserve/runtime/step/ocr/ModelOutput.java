package io.pipeserve.runtime.step.ocr;

import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.tensor.DType;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.Arrays;

/**
 * Reads a per-item model output. The executor leaves the output field absent when the sample had no
 * items (the model did not run), so an absent field means zero items.
 */
final class ModelOutput {
  private ModelOutput() {}

  /** The FP32 output of the given rank, or null when it is absent (zero items). */
  static Tensor optional(Sample sample, String field, int rank) {
    if (!sample.has(field)) {
      return null;
    }
    Tensor t = sample.tensor(field);
    if (t.dtype() != DType.FP32 || t.rank() != rank) {
      throw PipelineException.type(
          "field '"
              + field
              + "' must be an FP32 model output of rank "
              + rank
              + ", got "
              + t.dtype()
              + " "
              + Arrays.toString(t.shape()));
    }
    return t;
  }

  /**
   * The FP32 output with one row per item of {@code itemsField}; null when it is absent and there
   * are no items.
   */
  static Tensor forItems(Sample sample, String field, int rank, int items, String itemsField) {
    Tensor t = optional(sample, field, rank);
    if (t == null && items > 0) {
      throw PipelineException.input(
          "missing field '" + field + "': the model output for the " + items + " " + itemsField);
    }
    if (t != null && t.dim(0) != items) {
      throw PipelineException.type(
          "field '"
              + field
              + "' has "
              + t.dim(0)
              + " rows but '"
              + itemsField
              + "' has "
              + items
              + " items: "
              + Arrays.toString(t.shape()));
    }
    return t;
  }
}
