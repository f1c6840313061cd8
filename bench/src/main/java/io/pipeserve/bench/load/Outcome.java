package io.pipeserve.bench.load;

/**
 * How one request ended: {@link #OK}, or an error named by a code a user can group by, such as
 * {@code http 429 err_no 3001}, {@code grpc RESOURCE_EXHAUSTED}, {@code io ConnectException}.
 */
public record Outcome(String code) {
  public static final Outcome OK = new Outcome("ok");

  /** The request was due but the generator already had its maximum outstanding. */
  public static final String NOT_SENT = "not sent (max outstanding reached)";

  /** The request was sent but had no answer when the run's drain time ran out. */
  public static final String NO_ANSWER = "no answer (drain timeout)";

  public boolean isOk() {
    return this == OK || code.equals(OK.code);
  }

  public static Outcome error(String code) {
    return new Outcome(code);
  }

  /** A failure below the protocol: refused connection, reset, timeout. */
  public static Outcome io(Throwable cause) {
    return new Outcome("io " + cause.getClass().getSimpleName());
  }
}
