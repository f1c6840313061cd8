package io.pipeserve.runtime.profile;

import io.pipeserve.runtime.executor.OpObserver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * The pipeline.tracer figures of one interval: per op the average in/prep/midp/postp/out times and
 * idle ratio, for the DAG the query count, QPS, success rate, failed data_ids and latency
 * percentiles. {@link #roll} closes the interval and starts the next.
 *
 * <p>Latencies are kept in a bounded reservoir (uniform sample of {@value #RESERVOIR} per
 * interval), so memory stays fixed at any QPS; below that many requests the percentiles are exact.
 */
public final class PipelineStats implements OpObserver {
  static final int RESERVOIR = 10_000;
  static final int MAX_ERROR_IDS = 100;

  /** Paddle's tracer percentiles. */
  public static final int[] PERCENTILES = {50, 60, 70, 80, 90, 95, 99};

  private final Map<String, Integer> concurrency;
  private final LongSupplier clock;
  private Window window;

  /**
   * @param concurrency each op's worker count, in DAG order (the tracer lists ops in this order)
   * @param clock steady-clock nanoseconds ({@code System::nanoTime} outside tests)
   */
  public PipelineStats(Map<String, Integer> concurrency, LongSupplier clock) {
    this.concurrency = new LinkedHashMap<>(concurrency);
    this.clock = clock;
    this.window = new Window(clock.getAsLong(), this.concurrency.keySet());
  }

  @Override
  public void sample(OpTimes times) {
    OpWindow op = current().ops.get(times.op());
    if (op != null) {
      op.add(times);
    }
  }

  @Override
  public void request(long dataId, long latencyNanos, int errNo) {
    current().dag.add(dataId, latencyNanos, errNo);
  }

  private synchronized Window current() {
    return window;
  }

  /** Closes the current interval, returning its figures, and starts the next. */
  public Interval roll() {
    long now = clock.getAsLong();
    Window closed;
    synchronized (this) {
      closed = window;
      window = new Window(now, concurrency.keySet());
    }
    // A call that picked the old window just before the swap may still be adding: the figures
    // are taken under each part's lock, so they are consistent, at worst missing that one call.
    long nanos = Math.max(1, now - closed.start);
    List<OpInterval> ops = new ArrayList<>();
    closed.ops.forEach(
        (name, op) -> ops.add(op.close(name, nanos * Math.max(1, concurrency.get(name)))));
    return closed.dag.close(nanos, ops);
  }

  /** One op's figures of an interval; times are averages per sample, in ms. */
  public record OpInterval(
      String op,
      long samples,
      double inMs,
      double prepMs,
      double midpMs,
      double postpMs,
      double outMs,
      double idle) {}

  /**
   * The figures of one interval.
   *
   * @param succ success rate (1 when there were no queries)
   * @param percentilesMs latency at each of {@link #PERCENTILES}, in that order
   * @param errorDataIds data_ids of failed requests (the first {@value #MAX_ERROR_IDS})
   */
  public record Interval(
      double seconds,
      long queries,
      long failures,
      double succ,
      double qps,
      List<Long> errorDataIds,
      double avgLatencyMs,
      double[] percentilesMs,
      List<OpInterval> ops) {}

  private static final class Window {
    final long start;
    final Map<String, OpWindow> ops = new LinkedHashMap<>();
    final DagWindow dag = new DagWindow();

    Window(long start, Iterable<String> names) {
      this.start = start;
      names.forEach(n -> ops.put(n, new OpWindow()));
    }
  }

  private static final class OpWindow {
    private long samples;
    private long in;
    private long prep;
    private long midp;
    private long postp;
    private long out;
    private long busy;

    synchronized void add(OpTimes t) {
      samples++;
      in += t.inNanos();
      prep += t.prepNanos();
      midp += t.midpNanos();
      postp += t.postpNanos();
      out += t.outNanos();
      busy += t.busyNanos();
    }

    synchronized OpInterval close(String name, long workerNanos) {
      double idle = 1.0 - (double) busy / workerNanos;
      return new OpInterval(
          name,
          samples,
          avgMs(in, samples),
          avgMs(prep, samples),
          avgMs(midp, samples),
          avgMs(postp, samples),
          avgMs(out, samples),
          Math.max(0, Math.min(1, idle)));
    }
  }

  private static final class DagWindow {
    private long queries;
    private long failures;
    private final List<Long> errorIds = new ArrayList<>();
    private long latencySum;
    private long latencyCount;
    private final long[] reservoir = new long[RESERVOIR];

    synchronized void add(long dataId, long latencyNanos, int errNo) {
      queries++;
      if (errNo != 0) {
        failures++;
        if (dataId != 0 && errorIds.size() < MAX_ERROR_IDS) {
          errorIds.add(dataId);
        }
      }
      if (dataId == 0) {
        return; // refused before admission: no latency to speak of
      }
      latencySum += latencyNanos;
      if (latencyCount < RESERVOIR) {
        reservoir[(int) latencyCount] = latencyNanos;
      } else {
        long slot = ThreadLocalRandom.current().nextLong(latencyCount + 1);
        if (slot < RESERVOIR) {
          reservoir[(int) slot] = latencyNanos;
        }
      }
      latencyCount++;
    }

    synchronized Interval close(long nanos, List<OpInterval> ops) {
      double seconds = nanos / 1e9;
      long[] sorted = Arrays.copyOf(reservoir, (int) Math.min(latencyCount, RESERVOIR));
      Arrays.sort(sorted);
      double[] percentiles = new double[PERCENTILES.length];
      for (int i = 0; i < PERCENTILES.length; i++) {
        percentiles[i] = percentile(sorted, PERCENTILES[i]);
      }
      return new Interval(
          seconds,
          queries,
          failures,
          queries == 0 ? 1.0 : (double) (queries - failures) / queries,
          queries / seconds,
          List.copyOf(errorIds),
          avgMs(latencySum, latencyCount),
          percentiles,
          List.copyOf(ops));
    }
  }

  /** Nearest rank, as Paddle's tracer takes it: the value at index floor(n * p / 100). */
  static double percentile(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.min(sorted.length - 1, (long) sorted.length * p / 100);
    return sorted[index] / 1e6;
  }

  static double avgMs(long totalNanos, long count) {
    return count == 0 ? 0 : totalNanos / 1e6 / count;
  }
}
