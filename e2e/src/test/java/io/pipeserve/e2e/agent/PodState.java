package io.pipeserve.e2e.agent;

import java.time.Instant;

/**
 * What the node knows of one pod, as the kubelet reports it in the Pod's status.
 *
 * @param initialized every init container has completed
 * @param running the main container's process is alive
 * @param started its startup probe has passed (or it has none)
 * @param ready its readiness probe passes and the pod is not terminating
 * @param restarts how often its process was started again after it ended
 * @param startedAt when its current process was started
 * @param reason why it is not running, when it is not ({@code PodInitializing}, {@code
 *     CrashLoopBackOff}, {@code Init:Error} ...)
 * @param message what went wrong, for a person
 * @param lastExitCode how its previous process ended; null before any ended
 * @param terminating the pod is being stopped
 */
record PodState(
    boolean initialized,
    boolean running,
    boolean started,
    boolean ready,
    int restarts,
    Instant startedAt,
    String reason,
    String message,
    Integer lastExitCode,
    boolean terminating) {

  static final PodState PENDING =
      new PodState(false, false, false, false, 0, null, "PodInitializing", null, null, false);
}
