package io.pipeserve.runtime.batching;

import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.tensor.Rows;
import io.pipeserve.runtime.tensor.Rows.Row;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a model over the items of several samples: the items (dimension 0 of the model inputs) of
 * all samples are cut into batches of at most {@code size} rows, each batch is one model call, and
 * the output rows go back to the sample they came from. A sample may bring many items (OCR text
 * crops: a mini-batch) and its items may span several model calls.
 */
public final class ItemBatcher {
  private final int size;

  public ItemBatcher(int size) {
    this.size = size;
  }

  /** The model: one call on one batch of inputs, by input name. */
  @FunctionalInterface
  public interface Model {
    Map<String, Tensor> run(Map<String, Tensor> inputs) throws Exception;
  }

  /** A batch that was run: how many items it held. */
  @FunctionalInterface
  public interface BatchListener {
    void ran(int items);
  }

  /**
   * The number of items a sample's inputs hold: dimension 0, equal across inputs.
   *
   * @throws PipelineException INPUT_PARAMS_ERROR when the inputs disagree
   */
  public static int items(Map<String, Tensor> inputs) {
    int n = -1;
    String firstName = null;
    for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
      int rows = Rows.count(e.getValue());
      if (n < 0) {
        n = rows;
        firstName = e.getKey();
      } else if (rows != n) {
        throw PipelineException.input(
            "model inputs disagree on the item count (dimension 0): '"
                + firstName
                + "' has "
                + n
                + ", '"
                + e.getKey()
                + "' has "
                + rows);
      }
    }
    return Math.max(n, 0);
  }

  /**
   * Runs the model over every sample's items.
   *
   * @param samples each sample's model inputs by name
   * @return each sample's model outputs by name; null for a sample with no items
   */
  public List<Map<String, Tensor>> run(
      List<Map<String, Tensor>> samples, Model model, BatchListener listener) throws Exception {
    int[] counts = new int[samples.size()];
    int total = 0;
    for (int s = 0; s < samples.size(); s++) {
      counts[s] = items(samples.get(s));
      total += counts[s];
    }
    List<Map<String, Tensor>> results = new ArrayList<>();
    if (samples.size() == 1 && counts[0] > 0 && counts[0] <= size) {
      // The common unbatched case: the sample's tensors go to the model as they are, no copy.
      listener.ran(counts[0]);
      results.add(model.run(samples.get(0)));
      return results;
    }
    List<int[]> rows = new ArrayList<>(total);
    for (int s = 0; s < samples.size(); s++) {
      for (int r = 0; r < counts[s]; r++) {
        rows.add(new int[] {s, r});
      }
    }
    // Rows of similar size go into the same model call: padding a narrow text line to a much wider
    // one changes what a recognizer reads (PaddleOCR sorts its crops by width for this reason).
    rows.sort(Comparator.comparingLong(sr -> rowSize(samples.get(sr[0]))));
    List<Map<String, List<Row>>> outRows = new ArrayList<>();
    for (int s = 0; s < samples.size(); s++) {
      outRows.add(new LinkedHashMap<>());
    }
    for (int start = 0; start < total; start += size) {
      List<int[]> chunk = rows.subList(start, Math.min(total, start + size));
      Map<String, Tensor> batch = new LinkedHashMap<>();
      for (String name : samples.get(chunk.get(0)[0]).keySet()) {
        List<Row> in = new ArrayList<>(chunk.size());
        for (int[] sr : chunk) {
          in.add(new Row(samples.get(sr[0]).get(name), sr[1]));
        }
        batch.put(name, stack(name, in));
      }
      listener.ran(chunk.size());
      Map<String, Tensor> out = model.run(batch);
      for (Map.Entry<String, Tensor> o : out.entrySet()) {
        if (Rows.count(o.getValue()) != chunk.size()) {
          throw new IllegalStateException(
              "model output '"
                  + o.getKey()
                  + "' has "
                  + Rows.count(o.getValue())
                  + " rows for a batch of "
                  + chunk.size()
                  + " items: batching needs outputs batched along dimension 0");
        }
        for (int i = 0; i < chunk.size(); i++) {
          outRows
              .get(chunk.get(i)[0])
              .computeIfAbsent(o.getKey(), k -> new ArrayList<>())
              .add(new Row(o.getValue(), i));
        }
      }
    }
    for (int s = 0; s < samples.size(); s++) {
      if (counts[s] == 0) {
        results.add(null);
        continue;
      }
      Map<String, Tensor> outputs = new HashMap<>();
      outRows.get(s).forEach((name, list) -> outputs.put(name, Rows.stack(list)));
      results.add(outputs);
    }
    return results;
  }

  private static long rowSize(Map<String, Tensor> inputs) {
    Tensor first = inputs.values().iterator().next();
    return first.rank() == 0 ? 1 : first.elementCount() / Math.max(1, first.dim(0));
  }

  private static Tensor stack(String name, List<Row> rows) {
    try {
      return Rows.stack(rows);
    } catch (IllegalArgumentException e) {
      throw PipelineException.type("model input '" + name + "': " + e.getMessage());
    }
  }
}
