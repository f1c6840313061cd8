package io.pipeserve.runtime.predictor.remote;

import io.grpc.Status;
import io.pipeserve.runtime.error.ErrorCode;
import io.pipeserve.runtime.error.PipelineException;

/**
 * A failed call to the model server as the op's error: the server's status and message, and which
 * server, model and RPC. Paddle's CLIENT_ERROR is the code of a pipeline whose own client to a
 * serving backend failed; the executor retries it, and TIMEOUT, within the op's {@code retry}.
 */
final class RemoteFailures {
  private RemoteFailures() {}

  /**
   * @param where the model and server called: "remote model 'm' at host:port"
   * @param rpc the RPC that failed, e.g. ModelInfer
   */
  static PipelineException of(Status status, String where, String rpc) {
    ErrorCode code =
        switch (status.getCode()) {
          case DEADLINE_EXCEEDED -> ErrorCode.TIMEOUT;
          // The same input would fail again: the caller must change it.
          case INVALID_ARGUMENT, OUT_OF_RANGE -> ErrorCode.INPUT_PARAMS_ERROR;
          // The server asks its clients to back off; retrying at once would not help it.
          case RESOURCE_EXHAUSTED -> ErrorCode.OVERLOADED;
          default -> ErrorCode.CLIENT_ERROR;
        };
    return new PipelineException(
        code, where + ": " + rpc + " failed: " + describe(status), status.getCause());
  }

  private static String describe(Status status) {
    StringBuilder s = new StringBuilder(status.getCode().name());
    String description = status.getDescription();
    if (description != null) {
      // Transport failures append the Netty pipeline on further lines: noise to a user.
      int end = description.indexOf('\n');
      s.append(": ").append(end < 0 ? description : description.substring(0, end));
    }
    // UNAVAILABLE says only "io exception"; the root cause says what: connection refused, a
    // certificate no trusted CA signed...
    Throwable root = status.getCause();
    while (root != null && root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root != null && root.getMessage() != null) {
      s.append(" (").append(root.getMessage()).append(')');
    }
    return s.toString();
  }
}
