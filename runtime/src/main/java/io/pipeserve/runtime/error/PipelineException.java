package io.pipeserve.runtime.error;

/**
 * A request failed: carries the Paddle error code and a message a user can act on. Product errors
 * (err_no 51–99) are business outcomes of a user step or op; the gateways answer them in-band (HTTP
 * 200, gRPC OK, {@code err_no} in the body) as Paddle does.
 */
public final class PipelineException extends RuntimeException {
  private final ErrorCode code;
  private final int errNo;

  public PipelineException(ErrorCode code, String message) {
    this(code, message, null);
  }

  public PipelineException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.errNo = code.errNo();
  }

  private PipelineException(int productErrNo, String message) {
    super(message);
    this.code = null;
    this.errNo = productErrNo;
  }

  /** A product error: {@code errNo} must be within 51..99. */
  public static PipelineException product(int errNo, String message) {
    if (errNo < 51 || errNo > 99) {
      throw new IllegalArgumentException("product error codes are 51..99, got " + errNo);
    }
    return new PipelineException(errNo, message);
  }

  public static PipelineException input(String message) {
    return new PipelineException(ErrorCode.INPUT_PARAMS_ERROR, message);
  }

  public static PipelineException type(String message) {
    return new PipelineException(ErrorCode.TYPE_ERROR, message);
  }

  /** The same error with a prefix saying where it happened ("op 'det': ..."). */
  public PipelineException in(String where) {
    PipelineException e =
        code == null
            ? new PipelineException(errNo, where + ": " + getMessage())
            : new PipelineException(code, where + ": " + getMessage(), getCause());
    return e;
  }

  /** The framework error code; null for a product error. */
  public ErrorCode code() {
    return code;
  }

  /** The Paddle {@code err_no}. */
  public int errNo() {
    return errNo;
  }

  public boolean isProductError() {
    return code == null;
  }
}
