package io.pipeserve.bench.results;

import io.pipeserve.bench.load.Latency;
import io.pipeserve.bench.load.Mode;
import io.pipeserve.bench.load.Result;
import java.util.Locale;
import java.util.Map;

/** A result as the CLI prints it: one fact per line, latencies in ms with µs precision. */
public final class TextReport {
  private TextReport() {}

  public static String of(Result r) {
    StringBuilder out = new StringBuilder();
    line(out, "target", r.protocol() + " " + r.address());
    line(out, "load", r.mode() + ", " + seconds(r.seconds()) + " measured");
    line(out, "requests", r.requests() + " (ok " + r.ok() + ", errors " + r.errorCount() + ")");
    line(out, "throughput", String.format(Locale.ROOT, "%.1f req/s (ok)", r.throughput()));
    line(out, "latency ms", percentiles(r.latency()));
    if (r.errors().isEmpty()) {
      line(out, "errors", "none");
    } else {
      for (Map.Entry<String, Long> e : r.errors().entrySet()) {
        line(out, "errors", e.getKey() + ": " + e.getValue());
      }
      if (r.errorLatency().count() > 0) {
        line(out, "error ms", percentiles(r.errorLatency()));
      }
    }
    if (r.mode() instanceof Mode.Open) {
      line(out, "send lag ms", percentiles(r.sendLag()));
    }
    line(out, "machine", r.machine().describe());
    return out.toString();
  }

  /** One comparison: each run's report, then each run's ratios against the baseline. */
  public static String of(Comparison c) {
    StringBuilder out = new StringBuilder();
    for (Run run : c.all()) {
      out.append("== ").append(run.name()).append('\n').append(of(run.result())).append('\n');
    }
    for (Run run : c.runs()) {
      out.append(
          String.format(
              Locale.ROOT,
              "%s vs %s: throughput x%.3f, p50 %+.3f ms%n",
              run.name(),
              c.baseline().name(),
              c.throughputRatio(run),
              c.addedP50Nanos(run) / 1e6));
    }
    return out.toString();
  }

  private static String percentiles(Latency l) {
    return "p50 "
        + Latency.ms(l.p50())
        + "  p90 "
        + Latency.ms(l.p90())
        + "  p99 "
        + Latency.ms(l.p99())
        + "  max "
        + Latency.ms(l.max())
        + "  (mean "
        + Latency.ms(l.mean())
        + ")";
  }

  private static String seconds(double s) {
    return String.format(Locale.ROOT, "%.1f s", s);
  }

  private static void line(StringBuilder out, String label, String value) {
    out.append(String.format(Locale.ROOT, "%-12s %s%n", label, value));
  }
}
