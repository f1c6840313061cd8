package io.pipeserve.runtime.profile;

import io.pipeserve.runtime.executor.OpObserver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code dag.profile: true}: per op and stage (in, prep, midp, postp, out) the calls, total, min,
 * max and average time and the share of all stage time, since the server started. Paddle
 * Inference's profile table, with the pipeline's stages in place of kernels.
 */
public final class ProfileTable implements OpObserver {
  static final List<String> STAGES = List.of("in", "prep", "midp", "postp", "out");

  private final Map<String, Stage[]> ops = new LinkedHashMap<>();

  /**
   * @param opNames the ops in DAG order, as the table lists them
   */
  public ProfileTable(List<String> opNames) {
    for (String op : opNames) {
      Stage[] stages = new Stage[STAGES.size()];
      for (int i = 0; i < stages.length; i++) {
        stages[i] = new Stage();
      }
      ops.put(op, stages);
    }
  }

  @Override
  public void sample(OpTimes t) {
    Stage[] s = ops.get(t.op());
    if (s == null) {
      return;
    }
    s[0].add(t.inNanos());
    s[1].add(t.prepNanos());
    // The process call is one per batch: counted once, by the batch's first sample.
    if (t.batchIndex() == 0) {
      s[2].add(t.midpNanos());
    }
    s[3].add(t.postpNanos());
    s[4].add(t.outNanos());
  }

  /** One line of the table; times in ms, ratio of the total of all lines. */
  public record Row(
      String op,
      String stage,
      long calls,
      double totalMs,
      double minMs,
      double maxMs,
      double avgMs,
      double ratio) {}

  /** The table as it stands. */
  public List<Row> rows() {
    List<long[]> figures = new ArrayList<>();
    List<String[]> names = new ArrayList<>();
    long grand = 0;
    for (Map.Entry<String, Stage[]> op : ops.entrySet()) {
      for (int i = 0; i < STAGES.size(); i++) {
        long[] f = op.getValue()[i].figures();
        figures.add(f);
        names.add(new String[] {op.getKey(), STAGES.get(i)});
        grand += f[1];
      }
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < figures.size(); i++) {
      long[] f = figures.get(i);
      long calls = f[0];
      rows.add(
          new Row(
              names.get(i)[0],
              names.get(i)[1],
              calls,
              f[1] / 1e6,
              calls == 0 ? 0 : f[2] / 1e6,
              f[3] / 1e6,
              calls == 0 ? 0 : f[1] / 1e6 / calls,
              grand == 0 ? 0 : (double) f[1] / grand));
    }
    return rows;
  }

  /** The table as text, for the log at shutdown and {@code GET /v2/profile?format=text}. */
  public String text(String pipeline) {
    StringBuilder b = new StringBuilder();
    b.append("------------------------- Pipeline '")
        .append(pipeline)
        .append("' profile -------------------------")
        .append(System.lineSeparator());
    b.append(
        String.format(
            Locale.ROOT,
            "%-24s %-6s %10s %12s %10s %10s %10s %8s%n",
            "Op",
            "Stage",
            "Calls",
            "Total(ms)",
            "Min(ms)",
            "Max(ms)",
            "Ave(ms)",
            "Ratio"));
    for (Row r : rows()) {
      b.append(
          String.format(
              Locale.ROOT,
              "%-24s %-6s %10d %12.3f %10.3f %10.3f %10.3f %7.2f%%%n",
              r.op(),
              r.stage(),
              r.calls(),
              r.totalMs(),
              r.minMs(),
              r.maxMs(),
              r.avgMs(),
              r.ratio() * 100));
    }
    return b.toString().stripTrailing();
  }

  private static final class Stage {
    private long calls;
    private long total;
    private long min = Long.MAX_VALUE;
    private long max;

    synchronized void add(long nanos) {
      calls++;
      total += nanos;
      min = Math.min(min, nanos);
      max = Math.max(max, nanos);
    }

    /** {calls, total, min, max} in ns. */
    synchronized long[] figures() {
      return new long[] {calls, total, calls == 0 ? 0 : min, max};
    }
  }
}
