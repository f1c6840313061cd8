package io.pipeserve.bench.scenario;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository the scenarios read their specs and images from: {@code -Dpipeserve.root} (which
 * {@code bench/run.sh} sets, so it runs from any directory), else found upward from the working
 * directory (the tests run from {@code bench/}).
 */
public final class Repo {
  private static final Path MARKER = Path.of("examples", "ocr", "pipeline.yaml");

  private Repo() {}

  public static Path root() {
    String given = System.getProperty("pipeserve.root");
    if (given != null && Files.isRegularFile(Path.of(given).resolve(MARKER))) {
      return Path.of(given).toAbsolutePath();
    }
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

  /** {@code path} as the results file shows it: relative to the root when under it. */
  public static String display(Path path) {
    Path root = root();
    Path p = path.toAbsolutePath().normalize();
    return p.startsWith(root) ? root.relativize(p).toString() : p.toString();
  }
}
