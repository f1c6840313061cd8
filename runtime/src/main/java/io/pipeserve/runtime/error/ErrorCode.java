package io.pipeserve.runtime.error;

/**
 * Paddle Serving v0.8+ pipeline error codes ({@code err_no}), with the HTTP and gRPC status each
 * maps to. Product errors (51–99) are raised by user steps and ops; see {@link
 * PipelineException#product}.
 */
public enum ErrorCode {
  OK(0, 200, "OK"),
  NOT_IMPLEMENTED(3000, 501, "UNIMPLEMENTED"),
  CLOSED_ERROR(3001, 503, "UNAVAILABLE"),
  NO_SERVICE(3002, 404, "UNIMPLEMENTED"),
  /** pipeserve's own: every channel slot is taken; retry later. */
  OVERLOADED(3003, 429, "RESOURCE_EXHAUSTED"),
  INPUT_PARAMS_ERROR(5000, 400, "INVALID_ARGUMENT"),
  TIMEOUT(6000, 504, "DEADLINE_EXCEEDED"),
  TYPE_ERROR(7000, 400, "INVALID_ARGUMENT"),
  RPC_PACKAGE_ERROR(8000, 400, "INVALID_ARGUMENT"),
  CLIENT_ERROR(9000, 502, "UNAVAILABLE"),
  UNKNOW(10000, 500, "INTERNAL");

  private final int errNo;
  private final int httpStatus;
  private final String grpcStatus;

  ErrorCode(int errNo, int httpStatus, String grpcStatus) {
    this.errNo = errNo;
    this.httpStatus = httpStatus;
    this.grpcStatus = grpcStatus;
  }

  /** The Paddle {@code err_no}. */
  public int errNo() {
    return errNo;
  }

  /** The HTTP status a gateway answers with. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The name of the {@code io.grpc.Status.Code} a gateway answers with. */
  public String grpcStatus() {
    return grpcStatus;
  }
}
