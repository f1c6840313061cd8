package io.pipeserve.runtime.op;

import io.pipeserve.runtime.error.ErrorCode;
import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.predictor.Predictor;
import io.pipeserve.runtime.predictor.remote.RemotePredictor;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * {@code kind: remote}: a {@link ModelProcessor} on a {@link RemotePredictor}, built when the first
 * sample arrives rather than at start-up, because mapping {@code feed} and {@code fetch} needs the
 * remote model's inputs and outputs, and start-up must not wait for the remote server.
 */
final class RemoteProcessor implements Processor {
  private final RemotePredictor predictor;
  private final List<String> feed;
  private final List<String> fetch;
  private final int batchSize;
  private volatile ModelProcessor model;

  RemoteProcessor(RemotePredictor predictor, List<String> feed, List<String> fetch, int batchSize) {
    this.predictor = predictor;
    this.feed = feed;
    this.fetch = fetch;
    this.batchSize = batchSize;
  }

  @Override
  public void prepare(Sample sample) {
    model().prepare(sample);
  }

  @Override
  public int items(Sample sample) {
    return model().items(sample);
  }

  @Override
  public void process(List<Sample> batch, int worker, Predictor.Call call) throws Exception {
    model().process(batch, worker, call);
  }

  @Override
  public Map<String, Tensor> modelInputs(Sample sample) {
    ModelProcessor m = model;
    return m == null ? Map.of() : m.modelInputs(sample);
  }

  @Override
  public Map<String, Tensor> modelOutputs(Sample sample) {
    ModelProcessor m = model;
    return m == null ? Map.of() : m.modelOutputs(sample);
  }

  @Override
  public void finish(Sample sample) {}

  /** Model calls made so far. */
  long batches() {
    ModelProcessor m = model;
    return m == null ? 0 : m.batches();
  }

  /** Items sent to the model so far. */
  long batchedItems() {
    ModelProcessor m = model;
    return m == null ? 0 : m.batchedItems();
  }

  @Override
  public void close() {
    predictor.close();
  }

  /**
   * @throws PipelineException when the remote model's metadata cannot be read, or does not match
   *     {@code feed} / {@code fetch}
   */
  private ModelProcessor model() {
    ModelProcessor m = model;
    if (m == null) {
      synchronized (this) {
        if (model == null) {
          try {
            model = new ModelProcessor(predictor, feed, fetch, batchSize);
          } catch (IllegalArgumentException e) {
            // The spec and the remote model disagree: the operator must fix one of them.
            throw new PipelineException(
                ErrorCode.CLIENT_ERROR, predictor.where() + ": " + e.getMessage());
          }
        }
        m = model;
      }
    }
    return m;
  }
}
