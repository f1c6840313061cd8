package io.pipeserve.runtime.op;

import io.pipeserve.runtime.predictor.Predictor;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.List;
import java.util.Map;

/** What an op does between its preprocess and postprocess steps: its model or user code. */
interface Processor extends AutoCloseable {

  /** Per-sample work before batching (a user preprocess, a model input check). */
  void prepare(Sample sample) throws Exception;

  /** How many items the sample brings to a batch. */
  int items(Sample sample);

  /** Runs one batch; samples marked skipProcess are not in it. */
  void process(List<Sample> batch, int worker, Predictor.Call call) throws Exception;

  /** The model inputs a prepared sample feeds, by input name (for TENSORS traces). */
  default Map<String, Tensor> modelInputs(Sample sample) {
    return Map.of();
  }

  /** The model outputs a processed sample got, by output name (for TENSORS traces). */
  default Map<String, Tensor> modelOutputs(Sample sample) {
    return Map.of();
  }

  /** Per-sample work after the batch (a user postprocess). */
  void finish(Sample sample) throws Exception;

  @Override
  void close();
}
