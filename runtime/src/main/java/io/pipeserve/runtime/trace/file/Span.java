package io.pipeserve.runtime.trace.file;

/** The intervals Triton's trace_summary.py adds up, each between two timestamps of a trace. */
public enum Span {
  /** From reading the request to the end of sending the response. */
  FRONTEND_INFER,
  FRONTEND_READ,
  FRONTEND_SEND,
  /** REQUEST_START to REQUEST_END: Triton's "Handler". */
  REQUEST,
  QUEUE(TimestampNames.QUEUE_START, TimestampNames.COMPUTE_START),
  COMPUTE(TimestampNames.COMPUTE_START, TimestampNames.COMPUTE_END),
  COMPUTE_INPUT(TimestampNames.COMPUTE_START, TimestampNames.COMPUTE_INPUT_END),
  COMPUTE_INFER(TimestampNames.COMPUTE_INPUT_END, TimestampNames.COMPUTE_OUTPUT_START),
  COMPUTE_OUTPUT(TimestampNames.COMPUTE_OUTPUT_START, TimestampNames.COMPUTE_END);

  final String start;
  final String end;

  Span() {
    this(null, null);
  }

  Span(String start, String end) {
    this.start = start;
    this.end = end;
  }
}
