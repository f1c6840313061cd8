package io.pipeserve.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeserve.bench.results.ResultsWriter;
import io.pipeserve.bench.results.ScenarioBlock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What every scenario's block must look like once appended to a results file. */
final class Blocks {
  private Blocks() {}

  /** Appends the block to a fresh file and returns its lines, checked for the common form. */
  static List<String> appendAndCheck(Path dir, ScenarioBlock block, String title, int goals)
      throws Exception {
    Path file = dir.resolve("RESULTS.md");
    ResultsWriter.append(file, block);
    String text = Files.readString(file);
    assertThat(text).startsWith("# Benchmark results\n");
    assertThat(text)
        .contains(
            "\n## " + title + "\n",
            "\n- Date: ",
            "\n- Machine: ",
            "\n- Command: `bench/run.sh scenario ",
            "\n| figure | measured | goal | met |\n|---|---:|---|---|\n");
    List<String> lines = text.lines().toList();
    List<String> goalRows =
        lines.stream().filter(l -> l.endsWith(" | yes |") || l.endsWith(" | **no** |")).toList();
    assertThat(goalRows).hasSize(goals);
    assertThat(text).contains("\n- Goals met: " + block.goalsMet() + " of " + goals + "\n");
    // Every table row has as many cells as its header.
    String header = null;
    for (String line : lines) {
      if (!line.startsWith("|")) {
        header = null;
      } else if (header == null) {
        header = line;
      } else {
        assertThat(cells(line)).as(line).isEqualTo(cells(header));
      }
    }
    return lines;
  }

  private static long cells(String row) {
    return row.chars().filter(c -> c == '|').count();
  }
}
