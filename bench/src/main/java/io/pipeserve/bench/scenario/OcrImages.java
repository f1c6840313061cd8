package io.pipeserve.bench.scenario;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

/** The OCR sample images (examples/ocr/images/*.png), base64 as a Paddle request carries them. */
record OcrImages(List<String> names, List<String> base64) {
  static OcrImages in(Path dir) {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the OCR images in " + dir, e);
    }
    if (files.isEmpty()) {
      throw new IllegalStateException("no .png images in " + dir);
    }
    List<String> encoded =
        files.stream()
            .map(
                f -> {
                  try {
                    return Base64.getEncoder().encodeToString(Files.readAllBytes(f));
                  } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + f, e);
                  }
                })
            .toList();
    return new OcrImages(files.stream().map(f -> f.getFileName().toString()).toList(), encoded);
  }

  /** Paddle HTTP bodies: {@code {"key":["image"],"value":["<base64>"]}}, one per image. */
  List<Buffer> bodies() {
    return base64.stream()
        .map(b -> Buffer.buffer("{\"key\":[\"image\"],\"value\":[\"" + b + "\"]}"))
        .toList();
  }
}
