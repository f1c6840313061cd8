package io.pipeserve.runtime.trace.file;

/**
 * The protocol a pipeline trace came in by, told apart by its first timestamp's name, exactly as
 * Triton's trace_summary.py does ({@code HttpFrontend}, {@code GrpcFrontend}): the two are
 * summarized separately because gRPC's read time is measured differently.
 */
public enum Frontend {
  HTTP(
      TimestampNames.HTTP_RECV_START,
      TimestampNames.HTTP_RECV_END,
      TimestampNames.HTTP_SEND_START,
      TimestampNames.HTTP_SEND_END,
      "HTTP infer request",
      "Receive"),
  GRPC(
      TimestampNames.GRPC_WAITREAD_START,
      TimestampNames.GRPC_WAITREAD_END,
      TimestampNames.GRPC_SEND_START,
      TimestampNames.GRPC_SEND_END,
      "GRPC infer request",
      "Wait/Read");

  final String readStart;
  final String readEnd;
  final String sendStart;
  final String sendEnd;
  final String requestLabel;
  final String readLabel;

  Frontend(
      String readStart,
      String readEnd,
      String sendStart,
      String sendEnd,
      String requestLabel,
      String readLabel) {
    this.readStart = readStart;
    this.readEnd = readEnd;
    this.sendStart = sendStart;
    this.sendEnd = sendEnd;
    this.requestLabel = requestLabel;
    this.readLabel = readLabel;
  }

  /** Triton matches a substring of any timestamp name of a trace without a parent. */
  boolean tags(TraceRecord root) {
    return root.entries().stream()
        .anyMatch(e -> e instanceof TraceEntry.Timestamp ts && ts.name().contains(readStart));
  }
}
