package io.pipeserve.bench.scenario;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository the scenarios read their specs and images from: found upward from the working
 * directory, so {@code bench/run.sh} works from the root and the tests from {@code bench/}.
 */
public final class Repo {
  private static final Path MARKER = Path.of("examples", "ocr", "pipeline.yaml");

  private Repo() {}

  public static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve(MARKER))) {
        return d;
      }
    }
    throw new IllegalStateException(
        "no pipeserve repository above "
            + dir
            + " (looked for "
            + MARKER
            + "); run bench/run.sh from a clone");
  }

  /** {@code relative} under the root, or as given when absolute. */
  public static Path path(String relative) {
    Path p = Path.of(relative);
    return p.isAbsolute() ? p : root().resolve(p);
  }
}
