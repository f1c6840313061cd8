package io.pipeserve.runtime.gateway;

import io.pipeserve.runtime.error.ErrorCode;
import io.pipeserve.runtime.error.PipelineException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns whatever a request failed with into the {@link PipelineException} a gateway answers. */
public final class Failures {
  private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

  private Failures() {}

  /**
   * The pipeline error behind {@code failure}; anything else is a bug on our side, answered as
   * UNKNOW and logged with its stack trace so the operator can find it.
   */
  public static PipelineException of(Throwable failure, long logId) {
    Throwable cause = unwrap(failure);
    if (cause instanceof PipelineException pipelineError) {
      return pipelineError;
    }
    LOG.error("log_id={}: request failed unexpectedly", logId, cause);
    return new PipelineException(
        ErrorCode.UNKNOW, "internal error: " + cause + " (see the server log)", cause);
  }

  /** What a future failed with, out of the completion wrappers around it. */
  public static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
