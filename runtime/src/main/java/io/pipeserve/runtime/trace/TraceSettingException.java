package io.pipeserve.runtime.trace;

/**
 * A trace-protocol request that cannot be applied; nothing was changed. The message names the
 * setting (or model) at fault, in Triton's wording where Triton has one.
 */
public final class TraceSettingException extends RuntimeException {
  /** Why; each gateway maps it to its own status. */
  public enum Reason {
    /** A bad value or key: HTTP 400, gRPC INVALID_ARGUMENT. */
    INVALID,
    /** No such pipeline or op: HTTP 400, gRPC INVALID_ARGUMENT (as Triton). */
    UNKNOWN_MODEL,
    /** A setting fixed at start-up (trace_file, trace_mode, bsp_*): HTTP 501, UNIMPLEMENTED. */
    UNSUPPORTED,
    /** A change on a port that only reads: HTTP 403, gRPC PERMISSION_DENIED. */
    FORBIDDEN
  }

  private final Reason reason;

  public TraceSettingException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** A bad value or key, {@code message} naming it. */
  public static TraceSettingException invalid(String message) {
    return new TraceSettingException(Reason.INVALID, message);
  }
}
