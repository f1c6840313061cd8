package io.pipeserve.runtime.gateway;

import io.pipeserve.runtime.error.ErrorCode;
import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.executor.Executor;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.trace.RequestTracer;
import io.pipeserve.runtime.trace.Tracer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Where both gateways hand requests to the pipeline. It knows whether the server is ready and, once
 * draining starts, refuses new requests (CLOSED_ERROR) while counting the ones still in flight so a
 * graceful stop can wait for them.
 */
public final class RequestGate {

  private final Executor pipeline;
  private final Tracer tracer;
  private final Supplier<String> pipelineNotReady;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean draining;

  public RequestGate(Executor pipeline, Tracer tracer) {
    this(pipeline, tracer, () -> null);
  }

  /**
   * @param pipelineNotReady why the pipeline cannot serve yet (an op that runs elsewhere has no
   *     ready replica); null when it can
   */
  public RequestGate(Executor pipeline, Tracer tracer, Supplier<String> pipelineNotReady) {
    this.pipeline = pipeline;
    this.tracer = tracer;
    this.pipelineNotReady = pipelineNotReady;
  }

  /**
   * Starts the trace of an arriving request when the trace settings sample it.
   *
   * @param traceparent the W3C {@code traceparent} header or metadata it brought; null for none
   * @param tracestate the W3C {@code tracestate} that came with it; null for none
   * @return its trace, or null when it is not traced
   */
  public RequestTracer trace(String traceparent, String tracestate, long logId) {
    return tracer.begin(traceparent, tracestate, logId == 0 ? "" : Long.toString(logId));
  }

  /**
   * The refusal a request arriving now would get (draining, or every channel slot taken), or null.
   * Gateways ask before reading the body: under overload a refusal then costs neither the read nor
   * the parse of a body that would be thrown away.
   */
  public PipelineException refusal() {
    return draining ? shuttingDown() : pipeline.refusal();
  }

  private static PipelineException shuttingDown() {
    return new PipelineException(
        ErrorCode.CLOSED_ERROR, "the server is shutting down; retry on another replica");
  }

  /**
   * Never blocks; a refused request completes exceptionally at once.
   *
   * @param trace the request's trace from {@link #trace}; null when it is not traced
   */
  public CompletableFuture<Sample> submit(
      long logId, Map<String, Object> fields, long timeoutMs, RequestTracer trace) {
    return submit(null, logId, fields, timeoutMs, trace);
  }

  /**
   * Like {@link #submit(long, Map, long, RequestTracer)}, running only the op named {@code op}
   * (null: the whole DAG).
   */
  public CompletableFuture<Sample> submit(
      String op, long logId, Map<String, Object> fields, long timeoutMs, RequestTracer trace) {
    if (draining) {
      return CompletableFuture.failedFuture(shuttingDown());
    }
    inFlight.incrementAndGet();
    CompletableFuture<Sample> result;
    try {
      result = pipeline.submit(op, logId, fields, timeoutMs, trace);
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    return result.whenComplete((sample, error) -> inFlight.decrementAndGet());
  }

  /** Ready to serve: readiness probes answer 200. */
  public boolean isReady() {
    return notReady() == null;
  }

  /** Why readiness probes fail; null when the server is ready. */
  public String notReady() {
    return draining ? "the server is draining (shutting down)" : pipelineNotReady.get();
  }

  /** From now on: not ready, new requests refused; those in flight carry on. */
  public void drain() {
    draining = true;
  }

  /** Requests admitted through this gate and not yet completed. */
  public int inFlight() {
    return inFlight.get();
  }
}
