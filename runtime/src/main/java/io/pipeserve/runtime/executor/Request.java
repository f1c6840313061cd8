package io.pipeserve.runtime.executor;

import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.profile.RequestProfile;
import io.pipeserve.runtime.trace.RequestTracer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/** A request in flight: its ids, deadline, where it is, and the future that answers it. */
final class Request {
  final long dataId;
  final long logId;
  final long deadlineNanos;
  final CompletableFuture<Sample> future = new CompletableFuture<>();

  /** Where the request is now, for timeout messages; written by workers, read on timeout. */
  volatile String stage = "admitted";

  /** The request's trace; null when it is not traced. */
  final RequestTracer trace;

  /** Its own per-op stage times, when it asked for them ({@code pipeline.profile=1}); else null. */
  final RequestProfile profile;

  final long admittedNanos;

  /**
   * The op the request runs alone ({@link Executor#submit(String, long, Map, long,
   * RequestTracer)}); null when it runs the whole DAG.
   */
  final Node only;

  Request(
      long dataId,
      long logId,
      long admittedNanos,
      long deadlineNanos,
      RequestTracer trace,
      RequestProfile profile,
      Node only) {
    this.dataId = dataId;
    this.logId = logId;
    this.admittedNanos = admittedNanos;
    this.deadlineNanos = deadlineNanos;
    this.trace = trace;
    this.profile = profile;
    this.only = only;
  }

  private final AtomicBoolean answered = new AtomicBoolean();

  /** The deadline's timer task; null when the request has none. */
  volatile ScheduledFuture<?> deadline;

  /**
   * Takes the right to answer: true once, for whoever answers first (the sink, a failure, the
   * deadline). The winner releases the request's slot before completing its future, so a client
   * that sends its next request on receiving the answer finds the slot free.
   */
  boolean claim() {
    return answered.compareAndSet(false, true);
  }

  /** Whether the request has been answered (or is being answered). */
  boolean isDone() {
    return answered.get();
  }
}
