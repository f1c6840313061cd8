package io.pipeserve.api;

import java.util.Objects;

/**
 * One thing wrong with a pipeline spec.
 *
 * @param path where, in spec terms: {@code ops[2].batch.timeoutMs}, {@code trace.level[1]}
 * @param message what is wrong, phrased so the user knows what to change
 */
public record Problem(String path, String message) {
  public Problem {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return path + ": " + message;
  }
}
