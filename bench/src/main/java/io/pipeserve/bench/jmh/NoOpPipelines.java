package io.pipeserve.bench.jmh;

import io.pipeserve.api.BatchSpec;
import io.pipeserve.api.DagSpec;
import io.pipeserve.api.OpSpec;
import io.pipeserve.api.PipelineSpec;
import io.pipeserve.api.ServerSpec;
import io.pipeserve.bench.op.NoOp;
import java.util.ArrayList;
import java.util.List;

/** Chains of {@link NoOp}s, for measuring the executor with nothing else in the way. */
public final class NoOpPipelines {
  private NoOpPipelines() {}

  /**
   * {@code ops} no-op java ops in a chain, one worker each, batching up to {@code batchSize}
   * requests (waiting at most {@code batchTimeoutMs} for a batch to fill).
   */
  public static PipelineSpec chain(int ops, int batchSize, long batchTimeoutMs) {
    List<OpSpec> specs = new ArrayList<>();
    for (int i = 0; i < ops; i++) {
      specs.add(
          new OpSpec(
              "noop" + i,
              i == 0 ? List.of() : List.of("noop" + (i - 1)),
              "java",
              null,
              NoOp.class.getName(),
              null,
              null,
              null,
              null,
              null,
              null,
              1,
              new BatchSpec(batchSize, batchSize > 1 ? batchTimeoutMs : null),
              null,
              null,
              null,
              null,
              null,
              null));
    }
    DagSpec dag = new DagSpec(1024, 30_000L, 0, 0, false);
    return new PipelineSpec(ServerSpec.DEFAULT, dag, specs, null);
  }
}
