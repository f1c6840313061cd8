package io.pipeserve.runtime.executor;

import io.pipeserve.runtime.op.Sample;
import java.util.concurrent.CompletableFuture;

/** A request in flight: its ids, deadline, where it is, and the future that answers it. */
final class Request {
  final long dataId;
  final long logId;
  final long deadlineNanos;
  final CompletableFuture<Sample> future = new CompletableFuture<>();

  /** Where the request is now, for timeout messages; written by workers, read on timeout. */
  volatile String stage = "admitted";

  Request(long dataId, long logId, long deadlineNanos) {
    this.dataId = dataId;
    this.logId = logId;
    this.deadlineNanos = deadlineNanos;
  }

  boolean isDone() {
    return future.isDone();
  }
}
