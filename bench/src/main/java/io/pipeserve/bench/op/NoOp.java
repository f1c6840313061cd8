package io.pipeserve.bench.op;

import io.pipeserve.runtime.op.JavaOp;
import io.pipeserve.runtime.op.Sample;
import java.util.List;

/**
 * A {@code kind: java} op that does nothing: the sample leaves as it came. A pipeline of these
 * measures what the pipeline machinery itself costs (channels, workers, batching, gateways).
 */
public final class NoOp implements JavaOp {
  @Override
  public void process(List<Sample> batch) {}
}
