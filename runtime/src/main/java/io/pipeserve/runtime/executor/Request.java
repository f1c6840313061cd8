package io.pipeserve.runtime.executor;

import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.profile.RequestProfile;
import io.pipeserve.runtime.trace.RequestTracer;
import java.util.concurrent.CompletableFuture;

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

  Request(
      long dataId,
      long logId,
      long admittedNanos,
      long deadlineNanos,
      RequestTracer trace,
      RequestProfile profile) {
    this.dataId = dataId;
    this.logId = logId;
    this.admittedNanos = admittedNanos;
    this.deadlineNanos = deadlineNanos;
    this.trace = trace;
    this.profile = profile;
  }

  boolean isDone() {
    return future.isDone();
  }
}
