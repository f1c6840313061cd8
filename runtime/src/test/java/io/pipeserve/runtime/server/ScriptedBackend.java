package io.pipeserve.runtime.server;

import io.pipeserve.runtime.error.ErrorCode;
import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.op.Sample;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pipeline for gateway tests, steered by the request's {@code action} field and completed on its
 * own worker threads as the executor does: {@code upper} upper-cases {@code text}, {@code sleep}
 * waits {@code ms} before echoing, {@code product} fails with product error {@code err_no}, {@code
 * boom} fails with a bug; anything else echoes the fields.
 */
public final class ScriptedBackend implements PipelineBackend {
  private final ExecutorService workers = Executors.newCachedThreadPool();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong dataIds = new AtomicLong();
  private volatile long lastTimeoutMs = -1;
  private volatile boolean closed;

  @Override
  public CompletableFuture<Sample> submit(long logId, Map<String, Object> fields, long timeoutMs) {
    lastTimeoutMs = timeoutMs;
    inFlight.incrementAndGet();
    Sample sample = new Sample(dataIds.incrementAndGet(), logId, fields);
    return CompletableFuture.supplyAsync(() -> run(sample), workers)
        .whenComplete((s, e) -> inFlight.decrementAndGet());
  }

  private static Sample run(Sample sample) {
    String action = sample.has("action") ? sample.string("action") : "echo";
    switch (action) {
      case "upper" -> sample.put("text", sample.string("text").toUpperCase());
      case "sleep" -> sleep(Long.parseLong(sample.string("ms")));
      case "product" ->
          throw PipelineException.product(
              Integer.parseInt(sample.string("err_no")), "no text found in the image");
      case "timeout" -> throw new PipelineException(ErrorCode.TIMEOUT, "request timed out");
      case "boom" -> throw new IllegalStateException("a bug in an op");
      default -> {}
    }
    sample.remove("action");
    return sample;
  }

  private static void sleep(long ms) {
    try {
      TimeUnit.MILLISECONDS.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The timeoutMs of the last request submitted. */
  public long lastTimeoutMs() {
    return lastTimeoutMs;
  }

  public boolean isClosed() {
    return closed;
  }

  @Override
  public int inFlight() {
    return inFlight.get();
  }

  @Override
  public void close() {
    closed = true;
    workers.shutdownNow();
  }
}
