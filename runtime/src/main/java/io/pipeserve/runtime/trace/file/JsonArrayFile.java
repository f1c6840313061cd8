package io.pipeserve.runtime.trace.file;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A JSON array of trace objects under construction. Objects stream into {@code TARGET.partial} so
 * memory stays bounded however many traces a file gets; {@code TARGET} itself only ever appears
 * complete, moved into place atomically, so a reader never sees half an array.
 */
final class JsonArrayFile {
  private final Path target;
  private final Path partial;
  private final Writer out;
  private long objects;

  private JsonArrayFile(Path target) throws IOException {
    this.target = target;
    this.partial = sibling(target, ".partial");
    this.out =
        Files.newBufferedWriter(
            partial,
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE);
    out.write('[');
  }

  static JsonArrayFile create(Path target) throws IOException {
    return new JsonArrayFile(target);
  }

  Path target() {
    return target;
  }

  boolean isEmpty() {
    return objects == 0;
  }

  /** How many {@link #append} calls the array holds: request traces, for log_frequency. */
  long objectCount() {
    return objects;
  }

  /** Appends comma-separated objects (one request's traces). */
  void append(String commaSeparatedObjects) throws IOException {
    if (objects > 0) {
      out.write(',');
    }
    out.write(commaSeparatedObjects);
    objects++;
  }

  /** Makes TARGET the array as it stands and keeps this file open for more. */
  void publish() throws IOException {
    out.flush();
    Path tmp = sibling(target, ".tmp");
    Files.copy(partial, tmp, StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(tmp, "]", StandardOpenOption.APPEND);
    moveIntoPlace(tmp, target);
  }

  /** Closes the array and moves it to TARGET; this file takes no more objects. */
  void finish() throws IOException {
    out.write(']');
    out.close();
    moveIntoPlace(partial, target);
  }

  /** Drops what was written, leaving TARGET as it was. */
  void discard() throws IOException {
    out.close();
    Files.deleteIfExists(partial);
  }

  private static void moveIntoPlace(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static Path sibling(Path file, String suffix) {
    return file.resolveSibling(file.getFileName() + suffix);
  }
}
