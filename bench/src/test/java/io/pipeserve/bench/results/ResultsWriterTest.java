package io.pipeserve.bench.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeserve.bench.load.Latency;
import io.pipeserve.bench.load.Mode;
import io.pipeserve.bench.load.Result;
import io.pipeserve.bench.machine.Machine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsWriterTest {
  static final Machine MACHINE = new Machine(2, 24L << 30, 6L << 30, "OpenJDK 17", "Linux x86_64");

  static Result result(long ok, long p50Micros, Map<String, Long> errors) {
    long errorCount = errors.values().stream().mapToLong(Long::longValue).sum();
    Latency l =
        new Latency(
            ok,
            p50Micros * 1000,
            p50Micros * 2000,
            p50Micros * 4000,
            p50Micros * 5000,
            p50Micros * 9000,
            p50Micros * 1100.0);
    return new Result(
        "http",
        "http://127.0.0.1:8000/ocr/prediction",
        new Mode.Closed(16),
        Duration.ofSeconds(10),
        ok + errorCount,
        ok,
        errors,
        l,
        Latency.EMPTY,
        Latency.EMPTY,
        MACHINE);
  }

  static ResultsBlock block(String title) {
    Comparison c =
        new Comparison(
            new Run("baseline", result(100_000, 100, Map.of())),
            List.of(
                new Run("pipeline http", result(60_000, 250, Map.of("http 429 err_no 3001", 7L)))));
    return new ResultsBlock(
        title,
        Instant.parse("2026-11-22T10:00:00Z"),
        MACHINE,
        "bench/run.sh load --baseline",
        c,
        "the client shares the 2 cores");
  }

  @Test
  void append_writesHeaderOnceAndOneBlockPerCall(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("results/RESULTS.md");

    ResultsWriter.append(file, block("serving overhead"));
    ResultsWriter.append(file, block("serving overhead, again"));

    String text = Files.readString(file);
    assertThat(text).startsWith("# Benchmark results\n");
    assertThat(text.split("# Benchmark results", -1)).hasSize(2);
    assertThat(text).contains("\n## serving overhead\n", "\n## serving overhead, again\n");
    assertThat(text.split("\n- Date: 2026-11-22T10:00:00Z\n", -1)).hasSize(3);
  }

  @Test
  void block_isAWellFormedTableWithRatiosToTheBaseline() {
    String text = ResultsWriter.format(block("serving overhead"));

    assertThat(text)
        .contains(
            "- Machine: 2 cores, 24.0 GiB memory, max heap 6.0 GiB, OpenJDK 17, Linux x86_64\n",
            "- Command: `bench/run.sh load --baseline`\n",
            "- Note: the client shares the 2 cores\n");
    List<String> rows = text.lines().filter(l -> l.startsWith("|")).toList();
    assertThat(rows).hasSize(4); // header, separator, baseline, pipeline
    long columns = rows.get(0).chars().filter(ch -> ch == '|').count();
    assertThat(rows)
        .allSatisfy(r -> assertThat(r.chars().filter(ch -> ch == '|').count()).isEqualTo(columns));
    assertThat(rows.get(2)).startsWith("| baseline |").endsWith("| 0 | 1.000 | +0.000 |");
    // 60 000 ok in 10 s against 100 000: 0.6 of the baseline; p50 0.250 vs 0.100 ms.
    assertThat(rows.get(3))
        .startsWith("| pipeline http | http | closed loop, 16 clients | 60007 | 6000.0 | 0.250 |")
        .endsWith("| http 429 err_no 3001: 7 | 0.600 | +0.150 |");
  }
}
