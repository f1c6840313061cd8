package io.pipeserve.runtime.step.ocr;

import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.step.Params;
import io.pipeserve.runtime.step.Step;
import io.pipeserve.runtime.step.StepContext;
import io.pipeserve.runtime.tensor.DType;
import io.pipeserve.runtime.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ctc-decode}: PaddleOCR's CTCLabelDecode. For each crop the best class per time step is
 * taken, repeats are merged and blanks dropped; the score is the mean probability of the kept
 * characters (0 when none). Classes are PaddleOCR's: blank at 0, then one per line of the keys
 * file, then " " when useSpaceChar. Zero-padded time steps (from batching) decode as blank.
 */
public final class CtcDecode implements Step {
  private static final int BLANK = 0;

  private final String input;
  private final String texts;
  private final String scores;
  private final List<String> characters;
  private final Path keys;

  private CtcDecode(String input, String texts, String scores, List<String> characters, Path keys) {
    this.input = input;
    this.texts = texts;
    this.scores = scores;
    this.characters = characters;
    this.keys = keys;
  }

  public static CtcDecode create(Params params, StepContext context) {
    String input = params.string("input", "logits");
    String texts = params.string("texts", "texts");
    String scores = params.string("scores", "scores");
    Path keys = params.file("keys", context.baseDir());
    boolean useSpaceChar = params.bool("useSpaceChar", true);
    List<String> characters = new ArrayList<>();
    characters.add("blank");
    try {
      characters.addAll(Files.readAllLines(keys, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(context.where() + ".keys: cannot read " + keys, e);
    }
    if (useSpaceChar) {
      characters.add(" ");
    }
    return new CtcDecode(input, texts, scores, List.copyOf(characters), keys);
  }

  @Override
  public void apply(Sample sample) {
    Tensor logits = ModelOutput.optional(sample, input, 3);
    int items = logits == null ? 0 : (int) logits.dim(0);
    String[] decoded = new String[items];
    float[] confidences = new float[items];
    if (logits != null) {
      checkClasses(logits);
      for (int i = 0; i < items; i++) {
        decode(logits, i, decoded, confidences);
      }
    }
    sample.put(texts, new Tensor(DType.STRING, new long[] {items}, decoded));
    sample.put(scores, Tensor.of(confidences, items));
  }

  private void decode(Tensor logits, int item, String[] decoded, float[] confidences) {
    int steps = (int) logits.dim(1);
    int classes = (int) logits.dim(2);
    float[] probs = logits.floats();
    StringBuilder text = new StringBuilder();
    double sum = 0;
    int kept = 0;
    int previous = -1;
    for (int t = 0; t < steps; t++) {
      int row = (item * steps + t) * classes;
      int best = 0;
      for (int c = 1; c < classes; c++) {
        if (probs[row + c] > probs[row + best]) {
          best = c;
        }
      }
      if (best != BLANK && best != previous) {
        text.append(characters.get(best));
        sum += probs[row + best];
        kept++;
      }
      previous = best;
    }
    decoded[item] = text.toString();
    confidences[item] = kept == 0 ? 0f : (float) (sum / kept);
  }

  private void checkClasses(Tensor logits) {
    if (logits.dim(2) != characters.size()) {
      throw PipelineException.type(
          "field '"
              + input
              + "' has "
              + logits.dim(2)
              + " classes but the keys file "
              + keys
              + " gives "
              + characters.size()
              + " (its lines plus blank and space): the recognizer and the keys do not match");
    }
  }
}
