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
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      String text = format(block);
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
    out.append(TABLE_HEADER);
    Comparison c = block.comparison();
    for (Run run : c.all()) {
      Result r = run.result();
      Latency l = r.latency();
      out.append("| ")
          .append(
              String.join(
                  " | ",
                  run.name(),
                  r.protocol(),
                  r.mode().toString(),
                  Long.toString(r.requests()),
                  String.format(Locale.ROOT, "%.1f", r.throughput()),
                  Latency.ms(l.p50()),
                  Latency.ms(l.p90()),
                  Latency.ms(l.p99()),
                  Latency.ms(l.max()),
                  errors(r.errors()),
                  String.format(Locale.ROOT, "%.3f", c.throughputRatio(run)),
                  signedMs(c.addedP50Nanos(run))))
          .append(" |\n");
    }
    return out.toString();
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
