package io.pipeserve.bench.results;

import io.pipeserve.bench.machine.Machine;
import java.time.Instant;
import java.util.List;

/**
 * One block a scenario appends to the results file: its load runs (each comparison is a table of
 * runs against the baseline measured in the same invocation) and its figures against their goals.
 *
 * @param comparisons load runs against a load baseline, possibly none
 * @param runs load runs with no load baseline (theirs is not a server), possibly none
 * @param note what limits or explains the figures (may be empty)
 */
public record ScenarioBlock(
    String title,
    Instant date,
    Machine machine,
    String command,
    List<Comparison> comparisons,
    List<Run> runs,
    List<Figure> figures,
    String note) {
  public ScenarioBlock {
    comparisons = List.copyOf(comparisons);
    runs = List.copyOf(runs);
    figures = List.copyOf(figures);
  }

  public long goalsMet() {
    return figures.stream().filter(f -> Boolean.TRUE.equals(f.met())).count();
  }

  public long goals() {
    return figures.stream().filter(Figure::hasGoal).count();
  }
}
