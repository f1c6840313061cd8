package io.pipeserve.runtime.profile;

import io.pipeserve.runtime.executor.OpObserver.OpTimes;
import java.util.ArrayList;
import java.util.List;

/**
 * One request's own stage times, answered under the key {@value #KEY} when the request carried
 * {@code pipeline.profile=1}. The value is Paddle's TimeProfiler line, so Paddle's Analyst and
 * timeline scripts read it: {@code PROFILE\tpid:P\t} then {@code name_0:µs name_1:µs} pairs (wall
 * clock, microseconds) for the DAG and, per op worker, its {@code prep}, {@code midp} and {@code
 * postp} stages, named {@code prep#[op|worker]} as Paddle names them.
 */
public final class RequestProfile {
  /** The request key (and response key) of Paddle's client-side profile. */
  public static final String KEY = "pipeline.profile";

  /** The value that turns it on. */
  public static final String KEY_ON = "1";

  // Steady-clock ns to wall-clock µs: fixed once, so a request's entries stay mutually exact.
  private static final long EPOCH_OFFSET_NANOS =
      System.currentTimeMillis() * 1_000_000L - System.nanoTime();

  private final List<OpTimes> ops = new ArrayList<>();

  /** Records an op's stages; ops of parallel branches may call this at the same time. */
  public synchronized void add(OpTimes times) {
    ops.add(times);
  }

  /** The TimeProfiler line from the request's admission to now. */
  public synchronized String format(long admittedNanos) {
    StringBuilder line = new StringBuilder("PROFILE\tpid:").append(ProcessHandle.current().pid());
    line.append('\t');
    pair(line, "dag", admittedNanos, System.nanoTime());
    for (OpTimes t : ops) {
      String where = "#[" + t.op() + "|" + t.worker() + "]";
      pair(line, "prep" + where, t.prepStart(), t.prepEnd());
      pair(line, "midp" + where, t.midpStart(), t.midpEnd());
      pair(line, "postp" + where, t.postpStart(), t.postpEnd());
    }
    return line.toString().stripTrailing();
  }

  private static void pair(StringBuilder line, String name, long start, long end) {
    line.append(name).append("_0:").append(micros(start)).append(' ');
    line.append(name).append("_1:").append(micros(end)).append(' ');
  }

  static long micros(long steadyNanos) {
    return (steadyNanos + EPOCH_OFFSET_NANOS) / 1_000;
  }
}
