package io.pipeserve.bench.results;

import io.pipeserve.bench.load.Latency;
import io.pipeserve.bench.load.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Appends result blocks to a Markdown file ({@code bench/results/RESULTS.md}). Blocks are only ever
 * appended, so the file is the history of every figure and the machine it came from.
 */
public final class ResultsWriter {
  static final String FILE_HEADER =
      "# Benchmark results\n\n"
          + "Appended by `bench/run.sh`; each block compares its runs with the baseline measured"
          + " in the same invocation (see bench/README.md).\n";

  static final String TABLE_HEADER =
      "| run | protocol | load | requests | throughput (req/s) | p50 (ms) | p90 (ms) | p99 (ms)"
          + " | max (ms) | errors | throughput vs baseline | p50 added (ms) |\n"
          + "|---|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|\n";

  private ResultsWriter() {}

  public static void append(Path file, ResultsBlock block) {
    appendText(file, format(block));
  }

  public static void append(Path file, ScenarioBlock block) {
    appendText(file, format(block));
  }

  private static void appendText(Path file, String block) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      String text = block;
      if (!Files.exists(file) || Files.size(file) == 0) {
        text = FILE_HEADER + text;
      }
      Files.writeString(
          file,
          text,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append results to " + file + ": " + e.getMessage(), e);
    }
  }

  /** The Markdown block: a heading, the facts, the table. */
  public static String format(ResultsBlock block) {
    StringBuilder out = new StringBuilder();
    out.append("\n## ").append(block.title()).append("\n\n");
    out.append("- Date: ").append(block.date().truncatedTo(ChronoUnit.SECONDS)).append('\n');
    out.append("- Machine: ").append(block.machine().describe()).append('\n');
    out.append("- Command: `").append(block.command()).append("`\n");
    if (!block.note().isBlank()) {
      out.append("- Note: ").append(block.note().strip()).append('\n');
    }
    out.append('\n');
    table(out, block.comparison());
    return out.toString();
  }

  /**
   * A scenario's block: a heading, the facts, one table per comparison of load runs, then the
   * figures with their goals.
   */
  public static String format(ScenarioBlock block) {
    StringBuilder out = new StringBuilder();
    out.append("\n## ").append(block.title()).append("\n\n");
    out.append("- Date: ").append(block.date().truncatedTo(ChronoUnit.SECONDS)).append('\n');
    out.append("- Machine: ").append(block.machine().describe()).append('\n');
    out.append("- Command: `").append(block.command()).append("`\n");
    out.append("- Goals met: ")
        .append(block.goalsMet())
        .append(" of ")
        .append(block.goals())
        .append('\n');
    if (!block.note().isBlank()) {
      out.append("- Note: ").append(block.note().strip()).append('\n');
    }
    for (Comparison c : block.comparisons()) {
      out.append('\n');
      table(out, c);
    }
    if (!block.runs().isEmpty()) {
      out.append('\n').append(RUNS_HEADER);
      for (Run run : block.runs()) {
        out.append("| ").append(String.join(" | ", row(run))).append(" |\n");
      }
    }
    out.append('\n').append(FIGURES_HEADER);
    for (Figure f : block.figures()) {
      String met = f.met() == null ? "" : f.met() ? "yes" : "**no**";
      out.append("| ")
          .append(String.join(" | ", cell(f.name()), cell(f.value()), cell(f.goal()), met))
          .append(" |\n");
    }
    return out.toString();
  }

  static final String RUNS_HEADER =
      "| run | protocol | load | requests | throughput (req/s) | p50 (ms) | p90 (ms) | p99 (ms)"
          + " | max (ms) | errors |\n"
          + "|---|---|---|---:|---:|---:|---:|---:|---:|---|\n";

  static final String FIGURES_HEADER = "| figure | measured | goal | met |\n|---|---:|---|---|\n";

  private static String cell(String text) {
    return text.replace('|', '/').replace('\n', ' ');
  }

  private static void table(StringBuilder out, Comparison c) {
    out.append(TABLE_HEADER);
    for (Run run : c.all()) {
      List<String> cells = new ArrayList<>(row(run));
      cells.add(String.format(Locale.ROOT, "%.3f", c.throughputRatio(run)));
      cells.add(signedMs(c.addedP50Nanos(run)));
      out.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }
  }

  private static List<String> row(Run run) {
    Result r = run.result();
    Latency l = r.latency();
    return List.of(
        run.name(),
        r.protocol(),
        r.mode().toString(),
        Long.toString(r.requests()),
        String.format(Locale.ROOT, "%.1f", r.throughput()),
        Latency.ms(l.p50()),
        Latency.ms(l.p90()),
        Latency.ms(l.p99()),
        Latency.ms(l.max()),
        errors(r.errors()));
  }

  private static String errors(Map<String, Long> errors) {
    if (errors.isEmpty()) {
      return "0";
    }
    // A table cell: no pipes inside it.
    return errors.entrySet().stream()
        .map(e -> e.getKey().replace('|', '/') + ": " + e.getValue())
        .collect(Collectors.joining("; "));
  }

  private static String signedMs(long nanos) {
    return (nanos >= 0 ? "+" : "-") + Latency.ms(Math.abs(nanos));
  }
}
