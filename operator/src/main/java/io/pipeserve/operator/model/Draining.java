package io.pipeserve.operator.model;

/**
 * How a runtime pod stops without losing requests. On deletion Kubernetes runs the preStop hook,
 * then sends SIGTERM; meanwhile the pod leaves the Services' endpoints. The hook's pause lets the
 * endpoint change reach every client and proxy before the runtime stops accepting; on SIGTERM the
 * runtime turns not-ready, refuses new requests and lets those in flight finish within its grace
 * period. Kubernetes kills the pod when the termination grace period ends, so that period covers
 * the pause, the runtime's grace, and a margin for closing.
 */
public final class Draining {
  /** The preStop pause, in seconds. */
  public static final int PRE_STOP_SECONDS = 5;

  /** {@code serve --grace}: how long requests in flight may finish after SIGTERM. */
  public static final int RUNTIME_GRACE_SECONDS = 25;

  /** The pod's terminationGracePeriodSeconds. */
  public static final long TERMINATION_GRACE_SECONDS = PRE_STOP_SECONDS + RUNTIME_GRACE_SECONDS + 5;

  private Draining() {}
}
