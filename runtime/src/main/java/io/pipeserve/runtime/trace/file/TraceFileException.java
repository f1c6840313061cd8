package io.pipeserve.runtime.trace.file;

import java.io.IOException;

/** A trace file that cannot be read or summarized; the message names the file and the trace. */
public final class TraceFileException extends IOException {
  public TraceFileException(String message) {
    super(message);
  }
}
