package io.pipeserve.runtime.step.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pipeserve.runtime.step.OcrExample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The whole OCR chain on the real PP-OCRv4 models reads the sample images exactly. */
class OcrChainTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static PlainOcr ocr;

  @BeforeAll
  static void openModels() throws Exception {
    ocr = new PlainOcr();
  }

  @AfterAll
  static void closeModels() throws Exception {
    ocr.close();
  }

  static Stream<Path> images() {
    return OcrExample.images().stream();
  }

  @Test
  void thereAreAtLeastFourSampleImages() {
    assertThat(OcrExample.images()).hasSizeGreaterThanOrEqualTo(4);
  }

  @ParameterizedTest
  @MethodSource("images")
  void recognizesEveryLineOfTheSampleImage(Path image) throws Exception {
    JsonNode result = JSON.readTree(ocr.recognize(Files.readAllBytes(image)));

    List<String> lines = new ArrayList<>();
    result.forEach(line -> lines.add(line.get("text").asText()));
    assertThat(lines).containsExactlyElementsOf(OcrExample.expectedLines(image));
  }
}
