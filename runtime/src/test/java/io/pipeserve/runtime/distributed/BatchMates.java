package io.pipeserve.runtime.distributed;

import io.pipeserve.runtime.op.JavaOp;
import io.pipeserve.runtime.op.Sample;
import java.util.List;

/**
 * A test op ({@code kind: java}) that shows what each batch held: it writes into every sample the
 * field "batch", the sorted "from" fields of all samples in the same process call, joined by ','.
 */
public final class BatchMates implements JavaOp {
  @Override
  public void process(List<Sample> batch) {
    String mates = String.join(",", batch.stream().map(s -> s.string("from")).sorted().toList());
    for (Sample s : batch) {
      s.put("batch", mates);
    }
  }
}
