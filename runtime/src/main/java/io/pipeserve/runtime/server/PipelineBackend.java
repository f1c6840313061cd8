package io.pipeserve.runtime.server;

import io.pipeserve.runtime.executor.Executor;
import io.pipeserve.runtime.gateway.RequestGate;
import io.pipeserve.runtime.op.Sample;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** What the server serves: the executor in production, any pipeline in embedding code or tests. */
public interface PipelineBackend extends RequestGate.Pipeline, AutoCloseable {

  /** Requests admitted and not yet completed. */
  int inFlight();

  @Override
  void close();

  static PipelineBackend of(Executor executor) {
    return new PipelineBackend() {
      @Override
      public CompletableFuture<Sample> submit(
          long logId, Map<String, Object> fields, long timeoutMs) {
        return executor.submit(logId, fields, timeoutMs);
      }

      @Override
      public int inFlight() {
        return executor.inFlight();
      }

      @Override
      public void close() {
        executor.close();
      }
    };
  }
}
