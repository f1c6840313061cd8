package io.pipeserve.runtime.trace;

import io.opentelemetry.api.trace.SpanContext;
import io.pipeserve.runtime.tensor.Tensor;
import io.pipeserve.runtime.trace.file.RequestTrace;
import io.pipeserve.runtime.trace.file.TimestampNames;
import io.pipeserve.runtime.trace.file.TraceRecord;
import io.pipeserve.runtime.trace.file.TraceTensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The trace of one sampled request while it runs: the pipeline's trace (gateway and executor
 * timestamps) and a child trace per op that ran for it. The gateway, the executor and the op
 * workers write into it one after another, and parallel branches at once, hence the locking; only
 * sampled requests pay for it.
 */
public final class RequestTracer {
  private static final long MODEL_VERSION = 1;

  private final Tracer tracer;
  private final TraceSnapshot snapshot;
  private final String requestId;
  private final SpanContext caller;
  private final long pipelineId;
  private final TraceRecord.Builder pipeline;
  private final Map<String, TraceRecord.Builder> ops = new LinkedHashMap<>();
  private final Map<String, Boolean> opTensors = new LinkedHashMap<>();
  private boolean finished;

  /**
   * @param caller the W3C trace context the request brought; invalid when none
   */
  RequestTracer(Tracer tracer, TraceSnapshot snapshot, String requestId, SpanContext caller) {
    this.tracer = tracer;
    this.snapshot = snapshot;
    this.requestId = requestId;
    this.caller = caller;
    this.pipelineId = tracer.nextId();
    this.pipeline =
        TraceRecord.builder(pipelineId, snapshot.pipeline(), MODEL_VERSION).requestId(requestId);
  }

  /** The Triton trace id of the pipeline's trace: the parent of every op's child trace. */
  public long id() {
    return pipelineId;
  }

  /** The W3C trace context the request brought; invalid when it brought none. */
  public SpanContext caller() {
    return caller;
  }

  /** Records a timestamp of the pipeline's trace (steady clock, {@link System#nanoTime()}). */
  public synchronized void timestamp(String name, long ns) {
    pipeline.timestamp(name, ns);
  }

  /** Records a timestamp of the pipeline's trace, now. */
  public void timestamp(String name) {
    timestamp(name, System.nanoTime());
  }

  /**
   * Records a timestamp of op {@code op}'s child trace, starting that trace (with REQUEST_START at
   * {@code ns}) on its first timestamp; nothing when the op's level is OFF.
   */
  public synchronized void opTimestamp(String op, String name, long ns) {
    TraceRecord.Builder trace = op(op);
    if (trace != null) {
      trace.timestamp(name, ns);
    }
  }

  /** Starts op {@code op}'s child trace at {@code ns} unless it has started. */
  public synchronized void opStart(String op, long ns) {
    if (!ops.containsKey(op)) {
      TraceRecord.Builder trace = op(op);
      if (trace != null) {
        trace.timestamp(TimestampNames.REQUEST_START, ns);
      }
    }
  }

  /** Records a fact about the request for its OpenTelemetry span (e.g. {@code data_id}). */
  public synchronized void attribute(String key, long value) {
    pipeline.attribute(key, value);
  }

  /** Records a fact about op {@code op}'s run for its span (e.g. its batch size). */
  public synchronized void opAttribute(String op, String key, long value) {
    TraceRecord.Builder trace = op(op);
    if (trace != null) {
      trace.attribute(key, value);
    }
  }

  /** Whether op {@code op}'s trace records tensors (the TENSORS level). */
  public synchronized boolean tracesTensors(String op) {
    return op(op) != null && opTensors.get(op);
  }

  /**
   * Records the tensors an op's model read or wrote (TENSOR_QUEUE_INPUT, TENSOR_BACKEND_OUTPUT).
   */
  public synchronized void opTensors(String op, String activity, Map<String, Tensor> tensors) {
    TraceRecord.Builder trace = op(op);
    if (trace == null) {
      return;
    }
    tensors.forEach(
        (name, t) -> {
          TraceTensor tt = traceTensor(name, t);
          if (tt != null) {
            trace.tensor(activity, tt);
          }
        });
  }

  /**
   * Ends the trace and hands it to the trace file or the OpenTelemetry exporter; later calls do
   * nothing.
   */
  public void finish() {
    List<TraceRecord> traces = new ArrayList<>();
    synchronized (this) {
      if (finished) {
        return;
      }
      finished = true;
      traces.add(pipeline.build());
      for (TraceRecord.Builder op : ops.values()) {
        if (op != null) { // null: the op's level is OFF
          traces.add(op.build());
        }
      }
    }
    tracer.finished(new RequestTrace(traces), caller);
  }

  private TraceRecord.Builder op(String op) {
    TraceRecord.Builder trace = ops.get(op);
    if (trace == null && !ops.containsKey(op)) {
      Optional<TraceSetting> setting = snapshot.childSetting(op);
      if (setting.isPresent()) {
        trace =
            TraceRecord.builder(tracer.nextId(), op, MODEL_VERSION)
                .parentId(pipelineId)
                .requestId(requestId);
        opTensors.put(op, setting.get().has(TraceLevel.TENSORS));
      }
      ops.put(op, trace);
    }
    return trace;
  }

  private static TraceTensor traceTensor(String name, Tensor t) {
    long[] shape = t.shape();
    return switch (t.dtype()) {
      case FP32 -> TraceTensor.ofFloats(name, shape, t.floats());
      case FP64 -> TraceTensor.ofDoubles(name, shape, (double[]) t.data());
      case INT32 -> TraceTensor.ofInts(name, shape, t.ints());
      case INT64 -> TraceTensor.ofLongs(name, shape, t.longs());
      case BOOL -> TraceTensor.ofBooleans(name, shape, (boolean[]) t.data());
      case STRING -> TraceTensor.ofStrings(name, shape, t.strings());
      default -> null; // raw bytes and half floats have no text form in Triton's files
    };
  }
}
