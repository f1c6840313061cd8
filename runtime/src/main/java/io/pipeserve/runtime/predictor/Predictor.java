package io.pipeserve.runtime.predictor;

import io.pipeserve.runtime.tensor.Tensor;
import io.pipeserve.runtime.tensor.TensorSpec;
import java.util.List;
import java.util.Map;

/** A model: named input tensors in, named output tensors out, dimension 0 being the batch. */
public interface Predictor extends AutoCloseable {

  List<String> inputNames();

  List<String> outputNames();

  /**
   * The inputs as the model declares them, in {@link #inputNames} order, for clients that ask (Open
   * Inference Protocol model metadata); empty when the model does not say.
   */
  default List<TensorSpec> inputSpecs() {
    return List.of();
  }

  /** The outputs as the model declares them, in {@link #outputNames} order; empty if unknown. */
  default List<TensorSpec> outputSpecs() {
    return List.of();
  }

  /**
   * Checks one sample's input before it joins a batch, so a bad request fails alone.
   *
   * @throws io.pipeserve.runtime.error.PipelineException TYPE_ERROR for a wrong dtype,
   *     INPUT_PARAMS_ERROR for a wrong rank or dimension, naming the input
   */
  void check(String input, Tensor tensor);

  /**
   * Runs one batch.
   *
   * @param worker the calling worker's index: it picks the device (ids[worker % n])
   * @param call lets a watchdog cancel the run (the op's timeout)
   */
  Map<String, Tensor> predict(Map<String, Tensor> inputs, int worker, Call call) throws Exception;

  @Override
  void close();

  /** A cancellable model call. */
  interface Call {
    /** Registers what to do when the call is cancelled. */
    void onCancel(Runnable action);

    boolean isCancelled();
  }
}
