package io.pipeserve.runtime.executor;

import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.trace.RequestTracer;
import java.util.concurrent.atomic.AtomicBoolean;

/** A sample of a request on its way to a remote op: the executor's end of {@link OpClient.Hop}. */
final class RemoteHop implements OpClient.Hop {
  private final Executor executor;
  private final Node node;
  private final Request request;
  private final long readyNanos;
  private final AtomicBoolean answered = new AtomicBoolean();

  RemoteHop(Executor executor, Node node, Request request, long readyNanos) {
    this.executor = executor;
    this.node = node;
    this.request = request;
    this.readyNanos = readyNanos;
  }

  @Override
  public long readyNanos() {
    return readyNanos;
  }

  @Override
  public long deadlineNanos() {
    return request.deadlineNanos;
  }

  @Override
  public RequestTracer trace() {
    return request.trace;
  }

  @Override
  public boolean isAnswered() {
    return request.isDone();
  }

  @Override
  public void at(String where) {
    request.stage = where;
  }

  @Override
  public void answer(Sample output, OpObserver.OpTimes times) {
    if (answered.compareAndSet(false, true) && !request.isDone()) {
      executor.emit(node, request, output, times);
    }
  }

  @Override
  public void fail(PipelineException error) {
    if (answered.compareAndSet(false, true)) {
      executor.fail(request, error);
    }
  }
}
