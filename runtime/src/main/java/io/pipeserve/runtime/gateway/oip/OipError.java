package io.pipeserve.runtime.gateway.oip;

import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.gateway.Failures;

/**
 * An Open Inference Protocol request that cannot be answered: the message names what is wrong, and
 * the status says how both transports report it. The HTTP codes are Triton's (400 bad input, 404
 * unknown model or version, 503 unavailable, 500 internal) plus pipeserve's own 429 when every
 * channel slot is taken, 504 past the deadline and 413 for an oversized body.
 */
public final class OipError extends RuntimeException {

  /** How a failure is reported: an HTTP status and the name of a gRPC status code. */
  public enum Status {
    INVALID(400, "INVALID_ARGUMENT"),
    NOT_FOUND(404, "NOT_FOUND"),
    TOO_LARGE(413, "RESOURCE_EXHAUSTED"),
    OVERLOADED(429, "RESOURCE_EXHAUSTED"),
    INTERNAL(500, "INTERNAL"),
    UNSUPPORTED(501, "UNIMPLEMENTED"),
    BAD_GATEWAY(502, "UNAVAILABLE"),
    UNAVAILABLE(503, "UNAVAILABLE"),
    TIMEOUT(504, "DEADLINE_EXCEEDED");

    private final int http;
    private final String grpc;

    Status(int http, String grpc) {
      this.http = http;
      this.grpc = grpc;
    }

    public int http() {
      return http;
    }

    /** The name of the {@code io.grpc.Status.Code}. */
    public String grpc() {
      return grpc;
    }
  }

  private final Status status;

  public OipError(Status status, String message) {
    super(message);
    this.status = status;
  }

  public static OipError invalid(String message) {
    return new OipError(Status.INVALID, message);
  }

  public static OipError notFound(String message) {
    return new OipError(Status.NOT_FOUND, message);
  }

  public Status status() {
    return status;
  }

  /**
   * The OIP error for whatever a request failed with: itself, the pipeline's error in OIP terms, or
   * (for anything unexpected, which is logged) an internal error.
   */
  public static OipError of(Throwable failure) {
    Throwable cause = Failures.unwrap(failure);
    if (cause instanceof OipError e) {
      return e;
    }
    PipelineException e = Failures.of(cause, 0);
    if (e.isProductError()) {
      // The pipeline turned this input down (say, "no text found in the image"): a client error,
      // with Paddle's code kept for clients that act on it.
      return new OipError(Status.INVALID, e.getMessage() + " (err_no " + e.errNo() + ")");
    }
    Status status =
        switch (e.code()) {
          case CLOSED_ERROR -> Status.UNAVAILABLE;
          case NO_SERVICE -> Status.NOT_FOUND;
          case OVERLOADED -> Status.OVERLOADED;
          case INPUT_PARAMS_ERROR, TYPE_ERROR, RPC_PACKAGE_ERROR -> Status.INVALID;
          case TIMEOUT -> Status.TIMEOUT;
          case NOT_IMPLEMENTED -> Status.UNSUPPORTED;
          case CLIENT_ERROR -> Status.BAD_GATEWAY;
          case OK, UNKNOW -> Status.INTERNAL;
        };
    return new OipError(status, e.getMessage());
  }
}
