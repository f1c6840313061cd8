package io.pipeserve.runtime.step;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The OCR example's files: models (fetched by scripts/fetch-models.sh) and sample images. */
public final class OcrExample {
  /** examples/ocr, from the runtime module's directory where the tests run. */
  public static final Path DIR = Path.of("..", "examples", "ocr").toAbsolutePath().normalize();

  public static final Path MODELS = DIR.resolve("models");
  public static final Path IMAGES = DIR.resolve("images");
  public static final Path KEYS = MODELS.resolve("ppocr_keys_v1.txt");

  private OcrExample() {}

  public static Path model(String file) {
    return MODELS.resolve(file);
  }

  /** The sample PNGs, each with its expected lines in NAME.txt. */
  public static List<Path> images() {
    try (Stream<Path> files = Files.list(IMAGES)) {
      return files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<String> expectedLines(Path image) throws IOException {
    String name = image.getFileName().toString().replace(".png", ".txt");
    return Files.readAllLines(image.resolveSibling(name));
  }
}
