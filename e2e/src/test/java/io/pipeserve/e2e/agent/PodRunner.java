package io.pipeserve.e2e.agent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pod on the node, as the kubelet runs it, on a thread of its own: the init containers one
 * after the other (a failed one again, after a back-off), then the container as a process, probed
 * (startup, then readiness and liveness), started again whenever it ends or fails its liveness
 * probe ({@code restartPolicy: Always}, back-off from 1 s doubling to 30 s: shorter than the
 * kubelet's 10 s to 5 min, so that tests need not wait). Stopping it runs the preStop hook, sends
 * SIGTERM, and SIGKILL once the grace period is over.
 *
 * <p>Startup and readiness probes run at most {@code maxProbePeriod} apart, however long the
 * template's period is (counted in probes, thresholds keep their meaning); liveness probes keep the
 * template's period, so a busy process is not killed sooner than in a cluster.
 */
final class PodRunner {
  private static final Logger LOG = LoggerFactory.getLogger(PodRunner.class);
  private static final Duration TICK = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final Pod pod;
  private final PodFiles files;
  private final Function<String, LocalImage> images;
  private final Path hostsFile;
  private final Prober prober = new Prober();
  private final Duration maxProbePeriod;
  private final Object lock = new Object();
  private final Thread thread;

  private volatile PodState state = PodState.PENDING;
  private volatile boolean terminating;
  private volatile boolean finished;
  private volatile Process process;

  PodRunner(
      Pod pod,
      PodFiles files,
      Function<String, LocalImage> images,
      Path hostsFile,
      Duration maxProbePeriod) {
    this.pod = pod;
    this.files = files;
    this.images = images;
    this.hostsFile = hostsFile;
    this.maxProbePeriod = maxProbePeriod;
    this.thread = new Thread(this::run, "pod-" + pod.getMetadata().getName());
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  Pod pod() {
    return pod;
  }

  /** The pod as the node knows it; a pod being stopped is terminating and not ready. */
  PodState state() {
    PodState s = state;
    return terminating && (!s.terminating() || s.ready()) ? stopping(s) : s;
  }

  boolean finished() {
    return finished;
  }

  /** Starts stopping the pod; {@link #finished()} tells when it has stopped. */
  void terminate() {
    terminating = true;
    synchronized (lock) {
      lock.notifyAll();
    }
  }

  /** Kills the container's process at once (SIGKILL), as a crash would; the pod restarts it. */
  void kill() {
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
    }
  }

  /** Kills the pod's processes and stops restarting them. */
  void killAll() {
    terminating = true;
    liveProcesses().forEach(ProcessHandle::destroyForcibly);
  }

  /** The processes of this pod still alive (a container's process and what it started). */
  List<ProcessHandle> liveProcesses() {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return List.of();
    }
    return Stream.concat(Stream.of(p.toHandle()), p.descendants())
        .filter(ProcessHandle::isAlive)
        .toList();
  }

  /** Waits until the pod's thread has ended. */
  void join(Duration timeout) throws InterruptedException {
    thread.join(timeout.toMillis());
  }

  private void run() {
    try {
      List<Container> inits = pod.getSpec().getInitContainers();
      List<Container> containers = pod.getSpec().getContainers();
      if (containers.size() != 1
          || inits.stream().anyMatch(c -> "Always".equals(c.getRestartPolicy()))) {
        fail("Unsupported", "the node agent runs pods with one container and no sidecars");
        awaitTermination();
        return;
      }
      if (runInitContainers(inits)) {
        runContainer(containers.get(0));
      }
    } catch (RuntimeException e) {
      LOG.warn("pod {} failed", pod.getMetadata().getName(), e);
      fail("RunContainerError", e.getMessage());
      awaitTermination();
    } finally {
      finished = true;
    }
  }

  private boolean runInitContainers(List<Container> inits) {
    for (Container init : inits) {
      int failures = 0;
      while (true) {
        if (terminating) {
          return false;
        }
        int exit = runToCompletion(init);
        if (exit == 0) {
          break;
        }
        failures++;
        state =
            new PodState(
                false,
                false,
                false,
                false,
                0,
                null,
                "Init:Error",
                "init container " + init.getName() + " exited with " + exit + " (see its log)",
                exit,
                terminating);
        pause(backoff(failures));
      }
    }
    state =
        new PodState(true, false, false, false, 0, null, "ContainerCreating", null, null, false);
    return true;
  }

  private int runToCompletion(Container container) {
    try {
      Process p = command(container).processBuilder(log(container)).start();
      process = p;
      while (!p.waitFor(TICK.toMillis(), TimeUnit.MILLISECONDS)) {
        if (terminating) {
          stop(p, null);
          return -1;
        }
      }
      return p.exitValue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private void runContainer(Container container) {
    int restarts = 0;
    Integer lastExit = null;
    while (!terminating) {
      Process p;
      try {
        p = command(container).processBuilder(log(container)).start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      process = p;
      Instant startedAt = Instant.now();
      state =
          new PodState(true, true, false, false, restarts, startedAt, null, null, lastExit, false);
      String why = watch(container, p, restarts, startedAt, lastExit);
      if (terminating) {
        stop(p, container);
        return;
      }
      lastExit = p.isAlive() ? null : p.exitValue();
      if (p.isAlive()) {
        p.destroyForcibly();
      }
      restarts++;
      LOG.info("pod {}: {}, restarting", pod.getMetadata().getName(), why);
      state =
          new PodState(
              true, false, false, false, restarts, null, "CrashLoopBackOff", why, lastExit, false);
      pause(backoff(restarts));
    }
  }

  /**
   * Probes the running process until it ends, fails its liveness probe, or the pod is stopped.
   *
   * @return why the process is to be started again
   */
  private String watch(
      Container container, Process p, int restarts, Instant startedAt, Integer lastExit) {
    Schedule startup = schedule(container.getStartupProbe(), true);
    Schedule readiness = schedule(container.getReadinessProbe(), true);
    Schedule liveness = schedule(container.getLivenessProbe(), false);
    boolean started = container.getStartupProbe() == null;
    boolean ready = false;
    String ip = pod.getStatus().getPodIP();
    while (!terminating) {
      try {
        if (p.waitFor(TICK.toMillis(), TimeUnit.MILLISECONDS)) {
          return "its process exited with " + p.exitValue();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted";
      }
      if (!started) {
        if (startup.due()) {
          int result = startup.record(prober.passes(container.getStartupProbe(), container, ip));
          if (result > 0) {
            started = true;
          } else if (result < 0) {
            return "its startup probe failed " + startup.failureThreshold + " times";
          }
        }
      } else {
        if (liveness.probe != null && liveness.due()) {
          int result = liveness.record(prober.passes(liveness.probe, container, ip));
          if (result < 0) {
            return "its liveness probe failed " + liveness.failureThreshold + " times";
          }
        }
        if (readiness.probe == null) {
          ready = true;
        } else if (readiness.due()) {
          int result = readiness.record(prober.passes(readiness.probe, container, ip));
          ready = result > 0 || (ready && result == 0);
        }
      }
      boolean s = started;
      boolean r = ready && !terminating;
      state =
          new PodState(true, true, s, r, restarts, startedAt, null, null, lastExit, terminating);
    }
    return "stopped";
  }

  /** The preStop hook, SIGTERM, and SIGKILL when the grace period is over. */
  private void stop(Process p, Container container) {
    long grace =
        pod.getSpec().getTerminationGracePeriodSeconds() == null
            ? 30
            : pod.getSpec().getTerminationGracePeriodSeconds();
    Instant deadline = Instant.now().plusSeconds(grace);
    try {
      if (container != null
          && container.getLifecycle() != null
          && container.getLifecycle().getPreStop() != null
          && container.getLifecycle().getPreStop().getExec() != null
          && p.isAlive()) {
        Container hook =
            new io.fabric8.kubernetes.api.model.ContainerBuilder(container)
                .withCommand(container.getLifecycle().getPreStop().getExec().getCommand())
                .withArgs(List.<String>of())
                .build();
        Process preStop = command(hook, false).processBuilder(log(container)).start();
        if (!preStop.waitFor(remaining(deadline), TimeUnit.MILLISECONDS)) {
          preStop.destroyForcibly();
        }
      }
      p.destroy();
      if (!p.waitFor(remaining(deadline), TimeUnit.MILLISECONDS)) {
        LOG.warn(
            "pod {}: still running after its grace period, killed", pod.getMetadata().getName());
      }
    } catch (IOException e) {
      LOG.warn("pod {}: preStop hook failed to start", pod.getMetadata().getName(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      try {
        p.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private ContainerCommand command(Container container) {
    return command(container, true);
  }

  private ContainerCommand command(Container container, boolean withImageNetwork) {
    LocalImage image = images.apply(container.getImage());
    if (!withImageNetwork) {
      image = image.withoutNetworkArgs();
    }
    return ContainerCommand.of(pod, container, image, files, hostsFile);
  }

  private Path log(Container container) {
    try {
      Path dir = Files.createDirectories(files.root().resolve("logs"));
      return dir.resolve(container.getName() + ".log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void fail(String reason, String message) {
    state = new PodState(false, false, false, false, 0, null, reason, message, null, terminating);
  }

  private void awaitTermination() {
    while (!terminating) {
      pause(Duration.ofSeconds(1));
    }
  }

  private static PodState stopping(PodState s) {
    return new PodState(
        s.initialized(),
        s.running(),
        s.started(),
        false,
        s.restarts(),
        s.startedAt(),
        s.reason(),
        s.message(),
        s.lastExitCode(),
        true);
  }

  /** Waits {@code duration}, or less when the pod is being stopped. */
  private void pause(Duration duration) {
    synchronized (lock) {
      if (terminating) {
        return;
      }
      try {
        lock.wait(Math.max(1, duration.toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Duration backoff(int failures) {
    Duration d = Duration.ofSeconds(1L << Math.min(failures - 1, 5));
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  private static long remaining(Instant deadline) {
    return Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
  }

  private Schedule schedule(Probe probe, boolean capped) {
    return new Schedule(probe, capped ? maxProbePeriod : null);
  }

  /** When a probe is due, and its run of successes and failures against its thresholds. */
  private static final class Schedule {
    final Probe probe;
    final long periodNanos;
    final int successThreshold;
    final int failureThreshold;
    long next;
    int successes;
    int failures;

    Schedule(Probe probe, Duration cap) {
      this.probe = probe;
      long period =
          probe == null || probe.getPeriodSeconds() == null ? 10 : probe.getPeriodSeconds();
      Duration periodDuration = Duration.ofSeconds(period);
      if (cap != null && cap.compareTo(periodDuration) < 0) {
        periodDuration = cap;
      }
      this.periodNanos = periodDuration.toNanos();
      this.successThreshold =
          probe == null || probe.getSuccessThreshold() == null ? 1 : probe.getSuccessThreshold();
      this.failureThreshold =
          probe == null || probe.getFailureThreshold() == null ? 3 : probe.getFailureThreshold();
      long delay =
          probe == null || probe.getInitialDelaySeconds() == null
              ? 0
              : probe.getInitialDelaySeconds();
      this.next = System.nanoTime() + TimeUnit.SECONDS.toNanos(delay);
    }

    boolean due() {
      return System.nanoTime() - next >= 0;
    }

    /**
     * @return 1 when the success threshold is reached, -1 the failure one, else 0
     */
    int record(boolean passed) {
      next = System.nanoTime() + periodNanos;
      if (passed) {
        failures = 0;
        return ++successes >= successThreshold ? 1 : 0;
      }
      successes = 0;
      return ++failures >= failureThreshold ? -1 : 0;
    }
  }
}
