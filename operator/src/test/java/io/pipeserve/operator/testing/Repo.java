package io.pipeserve.operator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository the tests check: the CRD, the chart, the examples. */
public final class Repo {
  private Repo() {}

  /** The repository's root: the tests run in {@code operator/}. */
  public static Path root() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    Path root = dir.getFileName().toString().equals("operator") ? dir.getParent() : dir;
    if (!Files.isDirectory(root.resolve("crds")) || !Files.isRegularFile(root.resolve("pom.xml"))) {
      throw new IllegalStateException("not run from the repository or operator/: " + dir);
    }
    return root;
  }

  public static Path path(String relative) {
    return root().resolve(relative);
  }

  public static String read(String relative) {
    try {
      return Files.readString(path(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
