package io.pipeserve.runtime.op;

import io.pipeserve.runtime.predictor.Predictor;
import java.util.List;
import java.util.Map;

/**
 * A user {@link JavaOp}. Each sample is one item; an interrupted worker is how a timeout reaches
 * user code.
 */
final class JavaProcessor implements Processor {
  private final JavaOp op;

  JavaProcessor(JavaOp op, Map<String, Object> params) throws Exception {
    this.op = op;
    op.init(params);
  }

  @Override
  public void prepare(Sample sample) throws Exception {
    op.preprocess(sample);
  }

  @Override
  public int items(Sample sample) {
    return 1;
  }

  @Override
  public void process(List<Sample> batch, int worker, Predictor.Call call) throws Exception {
    Thread worker0 = Thread.currentThread();
    call.onCancel(worker0::interrupt);
    try {
      op.process(batch);
    } finally {
      // Clear an interrupt that came after the op returned, so it does not hit the next call.
      Thread.interrupted();
    }
  }

  @Override
  public void finish(Sample sample) throws Exception {
    op.postprocess(sample);
  }

  @Override
  public void close() {
    try {
      op.close();
    } catch (Exception ignored) {
      // The op is being discarded at shutdown: a failing close changes nothing.
    }
  }
}
