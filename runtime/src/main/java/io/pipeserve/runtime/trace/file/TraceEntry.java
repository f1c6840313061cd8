package io.pipeserve.runtime.trace.file;

import java.util.Objects;

/**
 * One thing that happened to a trace, in the order it happened: Triton writes each as its own JSON
 * object carrying the trace's id, in that order.
 */
public sealed interface TraceEntry {

  /** A named point in time, in steady-clock nanoseconds. */
  record Timestamp(String name, long ns) implements TraceEntry {
    public Timestamp {
      requireText(name, "timestamp name");
    }
  }

  /** A tensor seen at the TENSORS level, e.g. {@code TENSOR_QUEUE_INPUT}. */
  record Tensor(String activity, TraceTensor tensor) implements TraceEntry {
    public Tensor {
      requireText(activity, "tensor activity");
      Objects.requireNonNull(tensor, "tensor");
    }
  }

  private static void requireText(String value, String what) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(what + ": must not be empty");
    }
  }
}
