package io.pipeserve.runtime.executor;

import io.pipeserve.api.OpSpec;
import io.pipeserve.runtime.channel.Channel;
import io.pipeserve.runtime.error.ErrorCode;
import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.op.Op;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.trace.RequestTracer;
import io.pipeserve.runtime.trace.TraceAttributes;
import io.pipeserve.runtime.trace.file.TimestampNames;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker thread of an op. It takes a sample from the op's channel, preprocesses it, waits up to
 * the batch timeout for more samples until the batch holds {@code batch.size} items, runs the
 * process call (with the op's timeout and retries), then postprocesses each sample and hands it on.
 */
final class Worker implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);
  private static final long IDLE_POLL_MS = 500;

  private final Node node;
  private final int index;
  private final Executor executor;
  private final ScheduledExecutorService timer;
  private final int batchSize;
  private final long batchTimeoutNanos;
  private final long timeoutMs;

  Worker(Node node, int index, Executor executor, ScheduledExecutorService timer) {
    this.node = node;
    this.index = index;
    this.executor = executor;
    this.timer = timer;
    OpSpec spec = node.op.spec();
    this.batchSize = spec.batch().size();
    this.batchTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(spec.batch().timeoutMs());
    this.timeoutMs = spec.timeoutMs();
  }

  @Override
  public void run() {
    Channel channel = node.channel;
    try {
      while (!executor.isClosed()) {
        Channel.Entry first = channel.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        node.turns.acquire(); // free unless another op's thread is running this op inline
        try {
          serve(first);
        } finally {
          node.turns.release();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Runs one sample of this op on the calling thread, the thread of the op before it, which holds
   * one of this op's turns (see {@link Node#tryInlineTurn}).
   */
  void runInline(Request request, Sample sample) {
    long now = System.nanoTime();
    if (request.trace != null) {
      request.trace.opStart(node.name(), now);
    }
    try {
      serve(new Channel.Entry(sample, now));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // not reached: a batch of one waits for nothing
    }
  }

  /** Runs the batch that starts with {@code first}, filling it from the channel. */
  private void serve(Channel.Entry first) throws InterruptedException {
    long start = System.nanoTime();
    List<Sample> batch = new ArrayList<>();
    List<long[]> times = new ArrayList<>(); // stats: per sample {ready, prepStart, prepEnd}
    int items = admit(first, batch, times);
    long batchDeadline = start + batchTimeoutNanos;
    while (items < batchSize) {
      long wait = batchDeadline - System.nanoTime();
      Channel.Entry next = wait > 0 ? node.channel.poll(wait, TimeUnit.NANOSECONDS) : null;
      if (next == null) {
        break;
      }
      items += admit(next, batch, times);
    }
    long midpStart = System.nanoTime();
    if (!batch.isEmpty() && process(batch)) {
      long midpEnd = System.nanoTime();
      trace(batch, TimestampNames.COMPUTE_OUTPUT_START);
      for (int i = 0; i < batch.size(); i++) {
        long[] t = times.get(i);
        Batch b = new Batch(midpStart, midpEnd, i, batch.size(), items);
        finish(batch.get(i), t, b);
      }
    }
  }

  /** Preprocesses a sample into the batch; returns its items, 0 when it failed or was dropped. */
  private int admit(Channel.Entry entry, List<Sample> batch, List<long[]> times) {
    Sample sample = entry.sample();
    Request request = executor.request(sample.dataId());
    if (request == null) {
      return 0; // answered already (timed out or failed elsewhere): nothing to do
    }
    request.stage = node.preprocessing;
    RequestTracer trace = request.trace;
    long prepStart = System.nanoTime();
    if (trace != null) {
      trace.opTimestamp(node.name(), TimestampNames.QUEUE_START, entry.readyNanos());
      trace.opTimestamp(node.name(), TimestampNames.COMPUTE_START, prepStart);
    }
    try {
      node.op.preprocess(sample);
      int items = node.op.items(sample);
      batch.add(sample);
      times.add(new long[] {entry.readyNanos(), prepStart, System.nanoTime()});
      if (trace != null) {
        trace.opTimestamp(node.name(), TimestampNames.COMPUTE_INPUT_END, System.nanoTime());
        if (trace.tracesTensors(node.name())) {
          trace.opTensors(
              node.name(), TimestampNames.TENSOR_QUEUE_INPUT, node.op.modelInputs(sample));
        }
      }
      return items;
    } catch (Exception e) {
      executor.fail(request, error(e, "preprocess"));
      return 0;
    }
  }

  /** Runs the process call with the op's timeout and retries; false when the batch failed. */
  private boolean process(List<Sample> batch) {
    Op op = node.op;
    for (Sample s : batch) {
      Request r = executor.request(s.dataId());
      if (r != null) {
        r.stage = node.processing;
      }
    }
    for (int attempt = 0; ; attempt++) {
      Call call = new Call();
      cancelWhenAllAnswered(call, batch);
      ScheduledFuture<?> watchdog =
          timeoutMs > 0 ? timer.schedule(call::cancel, timeoutMs, TimeUnit.MILLISECONDS) : null;
      PipelineException failure;
      try {
        op.process(batch, index, call);
        if (!call.finish()) {
          return true;
        }
        failure = timeout(attempt);
      } catch (Exception e) {
        failure = call.finish() ? timeout(attempt) : error(e, "process");
      } finally {
        if (watchdog != null) {
          watchdog.cancel(false);
        }
        Thread.interrupted(); // a cancelled java op's interrupt must not reach the next call
      }
      boolean retryable =
          failure.code() == ErrorCode.TIMEOUT
              || failure.code() == ErrorCode.UNKNOW
              || failure.code() == ErrorCode.CLIENT_ERROR; // a remote server's failure
      if (retryable && attempt < op.retry() && anyWaiting(batch)) {
        log.warn(
            "{} (attempt {} of {}): retrying", failure.getMessage(), attempt + 1, op.retry() + 1);
        continue;
      }
      for (Sample s : batch) {
        Request r = executor.request(s.dataId());
        if (r != null) {
          executor.fail(r, failure);
        }
      }
      return false;
    }
  }

  /**
   * A call whose requests have all been answered (by their deadline) is cancelled, so the worker
   * does not stay busy for nobody.
   */
  private void cancelWhenAllAnswered(Call call, List<Sample> batch) {
    List<Request> requests = new ArrayList<>();
    for (Sample s : batch) {
      Request r = executor.request(s.dataId());
      if (r != null) {
        requests.add(r);
      }
    }
    for (Request r : requests) {
      r.future.whenComplete(
          (answer, error) -> {
            if (requests.stream().allMatch(Request::isDone)) {
              call.cancel();
            }
          });
    }
  }

  /** The process call a sample took part in, for the stats. */
  private record Batch(long midpStart, long midpEnd, int index, int samples, int items) {}

  private void finish(Sample sample, long[] t, Batch batch) {
    Request request = executor.request(sample.dataId());
    if (request == null) {
      return;
    }
    request.stage = node.postprocessing;
    RequestTracer trace = request.trace;
    if (trace != null && trace.tracesTensors(node.name())) {
      trace.opTensors(
          node.name(), TimestampNames.TENSOR_BACKEND_OUTPUT, node.op.modelOutputs(sample));
    }
    long postpStart = System.nanoTime();
    try {
      node.op.postprocess(sample);
    } catch (Exception e) {
      executor.fail(request, error(e, "postprocess"));
      return;
    }
    long postpEnd = System.nanoTime();
    if (trace != null) {
      trace.opTimestamp(node.name(), TimestampNames.COMPUTE_END, postpEnd);
      trace.opTimestamp(node.name(), TimestampNames.REQUEST_END, postpEnd);
      trace.opAttribute(node.name(), TraceAttributes.BATCH_SIZE, batch.samples());
      trace.opAttribute(node.name(), TraceAttributes.BATCH_ITEMS, batch.items());
      trace.opAttribute(node.name(), TraceAttributes.WORKER, index);
    }
    // Reported before emit hands it on: the response must carry this op in its pipeline.profile.
    OpObserver.OpTimes times =
        new OpObserver.OpTimes(
            node.name(),
            index,
            sample.dataId(),
            t[0],
            t[1],
            t[2],
            batch.midpStart(),
            batch.midpEnd(),
            postpStart,
            postpEnd,
            postpEnd,
            batch.index(),
            batch.samples(),
            batch.items());
    // Its own cost only: emit may go on to run the next op on this thread.
    node.recordCost(
        (t[2] - t[1])
            + (batch.midpEnd() - batch.midpStart()) / batch.samples()
            + (postpEnd - postpStart));
    executor.emit(node, request, sample, times);
  }

  /** Records a timestamp, now, in the op trace of every traced request of the batch. */
  private void trace(List<Sample> batch, String name) {
    long now = System.nanoTime();
    for (Sample s : batch) {
      Request r = executor.request(s.dataId());
      if (r != null && r.trace != null) {
        r.trace.opTimestamp(node.name(), name, now);
      }
    }
  }

  private boolean anyWaiting(List<Sample> batch) {
    return batch.stream().anyMatch(s -> executor.request(s.dataId()) != null);
  }

  private PipelineException timeout(int attempt) {
    return new PipelineException(
        ErrorCode.TIMEOUT,
        "op '"
            + node.name()
            + "': process call exceeded its timeoutMs of "
            + timeoutMs
            + " (attempt "
            + (attempt + 1)
            + ")");
  }

  private PipelineException error(Exception e, String stage) {
    if (e instanceof PipelineException pe) {
      return pe.in("op '" + node.name() + "'");
    }
    if (executor.isClosed()) {
      return new PipelineException(ErrorCode.CLOSED_ERROR, "the server closed before answering");
    }
    log.error("op '{}' {} failed", node.name(), stage, e);
    return new PipelineException(
        ErrorCode.UNKNOW, "op '" + node.name() + "' " + stage + " failed: " + e, e);
  }
}
