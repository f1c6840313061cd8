package io.pipeserve.bench.results;

import io.pipeserve.bench.machine.Machine;
import java.time.Instant;

/**
 * One block of the results file: what ran, where, when, and its figures.
 *
 * @param note what limits or explains the figures (may be empty)
 */
public record ResultsBlock(
    String title,
    Instant date,
    Machine machine,
    String command,
    Comparison comparison,
    String note) {}
