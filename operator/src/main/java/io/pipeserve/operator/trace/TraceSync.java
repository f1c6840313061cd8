package io.pipeserve.operator.trace;

import io.pipeserve.operator.resource.PipelineStatus.TraceStatus;
import io.pipeserve.operator.status.StatusRecorder.TraceOutcome;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the trace settings of running pods in step with the spec, without restarting them: for
 * each pod, read its settings; where a scope differs from the {@link TracePlan}, POST the plan's
 * settings and read them back. A pod that fails is retried a few times with backoff, then left
 * pending for the next reconciliation. Pods started later read the settings from the ConfigMap.
 */
public final class TraceSync implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TraceSync.class);

  private final TraceClient client;
  private final List<Duration> backoff;
  private final ExecutorService executor;

  /**
   * @param client the trace protocol client
   * @param backoff the pauses between attempts on one pod; one attempt more than pauses
   */
  public TraceSync(TraceClient client, List<Duration> backoff) {
    this.client = client;
    this.backoff = List.copyOf(backoff);
    // Pods are synced in parallel, so one slow pod does not hold the others; virtual threads would
    // do, but Java 17 has none.
    this.executor = Executors.newCachedThreadPool(daemon());
  }

  /**
   * Syncs {@code pods} to {@code plan}.
   *
   * @param previous the trace status so far: pods it lists as synced to the same plan are not asked
   *     again
   * @param generation the spec's generation
   */
  public TraceOutcome sync(
      TracePlan plan, List<TargetPod> pods, TraceStatus previous, long generation) {
    List<String> known =
        previous != null && plan.hash().equals(previous.settingsHash())
            ? previous.syncedPods()
            : List.of();
    List<CompletableFuture<String>> results = new ArrayList<>();
    for (TargetPod pod : pods) {
      results.add(
          known.contains(pod.name())
              ? CompletableFuture.completedFuture(null)
              : CompletableFuture.supplyAsync(() -> syncWithRetries(plan, pod), executor));
    }
    List<String> synced = new ArrayList<>();
    List<String> pending = new ArrayList<>();
    for (int i = 0; i < pods.size(); i++) {
      String failure = results.get(i).join();
      if (failure == null) {
        synced.add(pods.get(i).name());
      } else {
        pending.add(pods.get(i).name() + ": " + failure);
      }
    }
    boolean all = pending.isEmpty();
    Long applied = all ? Long.valueOf(generation) : previous == null ? null : previous.generation();
    TraceStatus status = new TraceStatus(applied, plan.hash(), synced, pending);
    if (pods.isEmpty()) {
      return new TraceOutcome(
          status,
          true,
          "NoReadyPods",
          "no ready pod runs the current config; pods read the trace settings from the ConfigMap"
              + " when they start");
    }
    if (all) {
      return new TraceOutcome(
          status,
          true,
          "Synced",
          "the trace settings of generation "
              + generation
              + " run on "
              + synced.size()
              + " ready pod(s)");
    }
    return new TraceOutcome(
        status,
        false,
        "SyncPending",
        pending.size()
            + " of "
            + pods.size()
            + " ready pod(s) do not run the spec's trace settings yet, retrying: "
            + String.join("; ", pending));
  }

  /** Null when the pod runs the plan's settings; else why not. */
  private String syncWithRetries(TracePlan plan, TargetPod pod) {
    String failure = null;
    for (int attempt = 0; attempt <= backoff.size(); attempt++) {
      if (attempt > 0) {
        try {
          Thread.sleep(backoff.get(attempt - 1).toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return "interrupted";
        }
      }
      try {
        failure = syncOnce(plan, pod);
      } catch (IOException e) {
        failure = describe(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted";
      }
      if (failure == null) {
        return null;
      }
      LOG.debug(
          "trace settings of pod {}: attempt {} failed: {}", pod.name(), attempt + 1, failure);
    }
    LOG.info("trace settings of pod {} not synced: {}", pod.name(), failure);
    return failure;
  }

  private String syncOnce(TracePlan plan, TargetPod pod) throws IOException, InterruptedException {
    List<String> wrong = new ArrayList<>();
    for (String scope : plan.expected().keySet()) {
      if (!plan.shows(scope, client.get(pod, scope))) {
        wrong.add(scope);
      }
    }
    // Global first: the ops' cleared fields follow it.
    for (String scope : wrong) {
      client.post(pod, scope, scope.isEmpty() ? plan.global() : plan.ops().get(scope));
    }
    List<String> still = new ArrayList<>();
    for (String scope : wrong) {
      Map<String, Object> now = client.get(pod, scope);
      if (!plan.shows(scope, now)) {
        still.add(TraceClient.path(scope) + " shows " + now);
      }
    }
    if (!wrong.isEmpty() && still.isEmpty()) {
      LOG.info(
          "trace settings of pod {} changed ({})",
          pod.name(),
          wrong.stream().map(s -> s.isEmpty() ? "global" : s).collect(Collectors.joining(", ")));
    }
    return still.isEmpty() ? null : "read back differs: " + String.join("; ", still);
  }

  private static String describe(IOException e) {
    if (e instanceof ConnectException) {
      return "cannot connect to the admin port";
    }
    if (e instanceof HttpTimeoutException) {
      return "no answer in time";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return runnable -> {
      Thread thread = new Thread(runnable, "trace-sync");
      thread.setDaemon(true);
      return thread;
    };
  }
}
