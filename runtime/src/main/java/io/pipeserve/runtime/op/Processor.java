package io.pipeserve.runtime.op;

import io.pipeserve.runtime.predictor.Predictor;
import java.util.List;

/** What an op does between its preprocess and postprocess steps: its model or user code. */
interface Processor extends AutoCloseable {

  /** Per-sample work before batching (a user preprocess, a model input check). */
  void prepare(Sample sample) throws Exception;

  /** How many items the sample brings to a batch. */
  int items(Sample sample);

  /** Runs one batch; samples marked skipProcess are not in it. */
  void process(List<Sample> batch, int worker, Predictor.Call call) throws Exception;

  /** Per-sample work after the batch (a user postprocess). */
  void finish(Sample sample) throws Exception;

  @Override
  void close();
}
