package io.pipeserve.runtime.op;

import io.pipeserve.runtime.batching.ItemBatcher;
import io.pipeserve.runtime.predictor.Predictor;
import io.pipeserve.runtime.tensor.Tensor;
import io.pipeserve.runtime.tensor.TensorSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Feeds sample fields to a model and stores its outputs back: {@code feed[i]} is the field of model
 * input i and {@code fetch[i]} the field of output i (by default the model's own names). The fed
 * fields are removed once the model ran: they are large and nothing downstream needs them.
 */
final class ModelProcessor implements Processor {
  private final Predictor predictor;
  private final Map<String, String> fieldOfInput = new LinkedHashMap<>();
  private final Map<String, String> fieldOfOutput = new LinkedHashMap<>();
  private final ItemBatcher batcher;
  private final LongAdder batches = new LongAdder();
  private final LongAdder batchedItems = new LongAdder();

  ModelProcessor(Predictor predictor, List<String> feed, List<String> fetch, int batchSize) {
    this.predictor = predictor;
    this.batcher = new ItemBatcher(batchSize);
    map(predictor.inputNames(), feed, fieldOfInput, "feed", "inputs");
    map(predictor.outputNames(), fetch, fieldOfOutput, "fetch", "outputs");
  }

  private static void map(
      List<String> names, List<String> fields, Map<String, String> into, String key, String what) {
    if (!fields.isEmpty() && fields.size() != names.size()) {
      throw new IllegalArgumentException(
          key
              + " lists "
              + fields.size()
              + " fields but the model has "
              + names.size()
              + " "
              + what
              + " "
              + names);
    }
    for (int i = 0; i < names.size(); i++) {
      into.put(names.get(i), fields.isEmpty() ? names.get(i) : fields.get(i));
    }
  }

  @Override
  public void prepare(Sample sample) {
    for (Map.Entry<String, String> e : fieldOfInput.entrySet()) {
      predictor.check(e.getKey(), sample.tensor(e.getValue()));
    }
    ItemBatcher.items(inputs(sample));
  }

  @Override
  public int items(Sample sample) {
    return ItemBatcher.items(inputs(sample));
  }

  @Override
  public void process(List<Sample> batch, int worker, Predictor.Call call) throws Exception {
    List<Map<String, Tensor>> in = new ArrayList<>(batch.size());
    for (Sample s : batch) {
      in.add(inputs(s));
    }
    List<Map<String, Tensor>> out =
        batcher.run(
            in,
            inputs -> predictor.predict(inputs, worker, call),
            items -> {
              batches.increment();
              batchedItems.add(items);
            });
    for (int i = 0; i < batch.size(); i++) {
      Sample s = batch.get(i);
      fieldOfInput.values().forEach(s::remove);
      Map<String, Tensor> outputs = out.get(i);
      if (outputs != null) {
        fieldOfOutput.forEach((output, field) -> s.put(field, outputs.get(output)));
      }
    }
  }

  @Override
  public Map<String, Tensor> modelInputs(Sample sample) {
    return inputs(sample);
  }

  @Override
  public Map<String, Tensor> modelOutputs(Sample sample) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    fieldOfOutput.forEach(
        (output, field) -> {
          if (sample.get(field) instanceof Tensor t) {
            out.put(output, t);
          }
        });
    return out;
  }

  /** The model's declared tensors, named by the fields that feed and receive them. */
  ModelSignature signature() {
    return new ModelSignature(
        asFields(predictor.inputSpecs(), fieldOfInput),
        asFields(predictor.outputSpecs(), fieldOfOutput));
  }

  private static List<TensorSpec> asFields(List<TensorSpec> specs, Map<String, String> fieldOf) {
    List<TensorSpec> fields = new ArrayList<>();
    for (TensorSpec spec : specs) {
      fields.add(spec.named(fieldOf.getOrDefault(spec.name(), spec.name())));
    }
    return fields;
  }

  @Override
  public void finish(Sample sample) {}

  /** Model calls made so far. */
  long batches() {
    return batches.sum();
  }

  /** Items sent to the model so far. */
  long batchedItems() {
    return batchedItems.sum();
  }

  @Override
  public void close() {
    predictor.close();
  }

  private Map<String, Tensor> inputs(Sample s) {
    Map<String, Tensor> in = new LinkedHashMap<>();
    fieldOfInput.forEach((input, field) -> in.put(input, s.tensor(field)));
    return in;
  }
}
