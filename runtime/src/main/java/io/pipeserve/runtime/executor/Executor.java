package io.pipeserve.runtime.executor;

import io.pipeserve.api.PipelineSpec;
import io.pipeserve.runtime.op.Sample;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Runs requests through the DAG: RequestOp → ops → ResponseOp. Every admitted request completes
 * exactly once: with the sink op's output sample, or exceptionally with a {@link
 * io.pipeserve.runtime.error.PipelineException} (OVERLOADED when every channel slot is taken,
 * TIMEOUT past the deadline, CLOSED_ERROR once closing, or the op's error).
 */
public final class Executor implements AutoCloseable {

  /** Builds every op (loads models, creates steps) and starts the workers. */
  public static Executor start(PipelineSpec spec, Path baseDir) {
    throw new UnsupportedOperationException("not yet");
  }

  /**
   * Submits one request. Never blocks.
   *
   * @param logId the caller's log id (0 for none)
   * @param fields the request's fields (Paddle key/value strings and tensors)
   * @param timeoutMs the caller's deadline in ms; 0 or less means the dag's requestTimeoutMs
   */
  public CompletableFuture<Sample> submit(long logId, Map<String, Object> fields, long timeoutMs) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Requests admitted and not yet completed. */
  public int inFlight() {
    return 0;
  }

  /** Stops the workers and releases the models; requests still in flight fail with CLOSED_ERROR. */
  @Override
  public void close() {}
}
