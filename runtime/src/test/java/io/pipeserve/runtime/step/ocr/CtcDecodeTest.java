package io.pipeserve.runtime.step.ocr;

import static io.pipeserve.runtime.step.TestSteps.assertFails;
import static io.pipeserve.runtime.step.TestSteps.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pipeserve.runtime.error.ErrorCode;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.step.Step;
import io.pipeserve.runtime.step.TestSteps;
import io.pipeserve.runtime.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CtcDecodeTest {
  // Classes: 0 blank, 1 "a", 2 "b", 3 "c", 4 " ".
  private static final int CLASSES = 5;

  @TempDir Path dir;
  private Step decode;

  @BeforeEach
  void keysFile() throws IOException {
    Files.writeString(dir.resolve("keys.txt"), "a\nb\nc\n");
    decode = TestSteps.create("ctc-decode", Map.of("keys", "keys.txt"), dir);
  }

  /** Logits of one item: at each time step, the given class has the given probability. */
  private static float[] steps(int[] classes, float[] probs) {
    float[] row = new float[classes.length * CLASSES];
    for (int t = 0; t < classes.length; t++) {
      for (int c = 0; c < CLASSES; c++) {
        row[t * CLASSES + c] = (1 - probs[t]) / (CLASSES - 1);
      }
      row[t * CLASSES + classes[t]] = probs[t];
    }
    return row;
  }

  @Test
  void mergesRepeatsDropsBlanksAndAveragesTheKeptProbabilities() {
    float[] first =
        steps(new int[] {1, 1, 0, 1, 2, 4, 3}, new float[] {.9f, .8f, .9f, .7f, .6f, .5f, .4f});
    float[] second =
        steps(new int[] {0, 0, 0, 0, 0, 0, 0}, new float[] {.9f, .9f, .9f, .9f, .9f, .9f, .9f});
    float[] both = new float[first.length * 2];
    System.arraycopy(first, 0, both, 0, first.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    Sample sample = sample(Map.of("logits", Tensor.of(both, 2, 7, CLASSES)));

    decode.apply(sample);

    assertThat(sample.tensor("texts").strings()).containsExactly("aab c", "");
    float[] scores = sample.tensor("scores").floats();
    assertThat(scores[0]).isCloseTo((.9f + .7f + .6f + .5f + .4f) / 5, within(1e-6f));
    assertThat(scores[1]).isZero();
  }

  @Test
  void withoutUseSpaceCharTheLastClassIsAKey() throws IOException {
    Step noSpace =
        TestSteps.create("ctc-decode", Map.of("keys", "keys.txt", "useSpaceChar", false), dir);
    Sample sample =
        sample(Map.of("logits", Tensor.of(new float[] {0, 0, 0, 1}, 1, 1, CLASSES - 1)));

    noSpace.apply(sample);

    assertThat(sample.tensor("texts").strings()).containsExactly("c");
  }

  @Test
  void anAbsentOutputMeansNoTexts() {
    Sample sample = sample(Map.of());

    decode.apply(sample);

    assertThat(sample.tensor("texts").shape()).containsExactly(0);
    assertThat(sample.tensor("scores").shape()).containsExactly(0);
  }

  @Test
  void aClassCountOtherThanTheKeysIsATypeError() {
    Sample sample = sample(Map.of("logits", Tensor.of(new float[6], 1, 1, 6)));

    assertFails(
        () -> decode.apply(sample), ErrorCode.TYPE_ERROR, "'logits' has 6 classes", "gives 5");
  }

  @Test
  void theRecognizerKeysHave6625Classes() {
    Step real = TestSteps.create("ctc-decode", Map.of("keys", "models/ppocr_keys_v1.txt"));
    float[] logits = new float[6625];
    logits[6624] = 1;
    Sample sample = sample(Map.of("logits", Tensor.of(logits, 1, 1, 6625)));

    real.apply(sample);

    assertThat(sample.tensor("texts").strings()).containsExactly(" ");
  }
}
