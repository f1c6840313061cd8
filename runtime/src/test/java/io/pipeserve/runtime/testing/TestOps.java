package io.pipeserve.runtime.testing;

import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.op.JavaOp;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** User ops ({@code kind: java}) for executor and gateway tests. */
public final class TestOps {
  private TestOps() {}

  /** Appends {@code params.suffix} to the string field {@code params.field} (default "text"). */
  public static final class Append implements JavaOp {
    private String field;
    private String suffix;

    @Override
    public void init(Map<String, Object> params) {
      field = (String) params.getOrDefault("field", "text");
      suffix = (String) params.getOrDefault("suffix", "");
    }

    @Override
    public void process(List<Sample> batch) {
      for (Sample s : batch) {
        s.put(field, s.string(field) + suffix);
      }
    }
  }

  /** Joins the string fields listed in {@code params.fields} into "text", with "+". */
  public static final class Join implements JavaOp {
    private List<String> fields;

    @Override
    @SuppressWarnings("unchecked")
    public void init(Map<String, Object> params) {
      fields = (List<String>) params.get("fields");
    }

    @Override
    public void process(List<Sample> batch) {
      for (Sample s : batch) {
        s.put("text", String.join("+", fields.stream().map(s::string).toList()));
      }
    }
  }

  /**
   * Sleeps {@code params.ms} in process; when {@code params.times} is set, only the first that many
   * calls sleep (to test retries).
   */
  public static final class Sleep implements JavaOp {
    private long ms;
    private int times;
    private final AtomicInteger calls = new AtomicInteger();

    @Override
    public void init(Map<String, Object> params) {
      ms = ((Number) params.getOrDefault("ms", 0)).longValue();
      times = ((Number) params.getOrDefault("times", Integer.MAX_VALUE)).intValue();
    }

    @Override
    public void process(List<Sample> batch) throws InterruptedException {
      if (calls.getAndIncrement() < times) {
        Thread.sleep(ms);
      }
      for (Sample s : batch) {
        s.put("slept", "yes");
      }
    }
  }

  /**
   * Does what the request's {@code action} field says, then drops that field: {@code upper}
   * upper-cases "text", {@code sleep} sleeps "ms" (interruptibly), {@code product} fails with
   * product error "err_no", {@code boom} fails with a bug; anything else (or none) echoes.
   */
  public static final class Scripted implements JavaOp {
    @Override
    public void process(List<Sample> batch) throws InterruptedException {
      for (Sample s : batch) {
        String action = s.has("action") ? s.string("action") : "echo";
        switch (action) {
          case "upper" -> s.put("text", s.string("text").toUpperCase(Locale.ROOT));
          case "sleep" -> Thread.sleep(Long.parseLong(s.string("ms")));
          case "product" ->
              throw PipelineException.product(
                  Integer.parseInt(s.string("err_no")), "no text found in the image");
          case "boom" -> throw new IllegalStateException("a bug in an op");
          default -> {}
        }
        s.remove("action");
      }
    }
  }

  /** Records {@code params.id} in {@link #CLOSED} when closed. */
  public static final class RecordsClose implements JavaOp {
    public static final Set<String> CLOSED = ConcurrentHashMap.newKeySet();
    private String id;

    @Override
    public void init(Map<String, Object> params) {
      id = (String) params.get("id");
    }

    @Override
    public void process(List<Sample> batch) {}

    @Override
    public void close() {
      CLOSED.add(id);
    }
  }

  /** Fails with product error {@code params.errNo} when the field "fail" is present. */
  public static final class ProductError implements JavaOp {
    @Override
    public void process(List<Sample> batch) {
      for (Sample s : batch) {
        if (s.has("fail")) {
          throw PipelineException.product(55, "the input asked to fail");
        }
      }
    }
  }

  /** Skips process when the field "skip" is present; records every batch it processes. */
  public static final class SkipAndRecord implements JavaOp {
    public static final List<Integer> BATCH_SIZES = new CopyOnWriteArrayList<>();

    @Override
    public void preprocess(Sample sample) {
      if (sample.has("skip")) {
        sample.skipProcess();
      }
    }

    @Override
    public void process(List<Sample> batch) {
      BATCH_SIZES.add(batch.size());
      for (Sample s : batch) {
        s.put("processed", "yes");
      }
    }

    @Override
    public void postprocess(Sample sample) {
      sample.put("post", "yes");
    }
  }

  /**
   * Turns the string field "values" ("1,2,3;4,5,6": items separated by ';') into an FP32 tensor "x"
   * [items, width]: several items per request, as OCR crops.
   */
  public static final class Items implements JavaOp {
    @Override
    public void process(List<Sample> batch) {
      for (Sample s : batch) {
        String[] items = s.string("values").split(";");
        int width = items[0].split(",").length;
        float[] data = new float[items.length * width];
        for (int i = 0; i < items.length; i++) {
          String[] v = items[i].split(",");
          for (int j = 0; j < width; j++) {
            data[i * width + j] = Float.parseFloat(v[j]);
          }
        }
        s.put("x", Tensor.of(data, items.length, width));
      }
    }
  }

  /**
   * Spins {@code params.busyMicros} (default 0), then records the name of the thread that ran it in
   * the field {@code params.field}; the most samples it ran at once is kept in {@link
   * #MOST_AT_ONCE} under the same name.
   */
  public static final class RecordsThread implements JavaOp {
    public static final Map<String, AtomicInteger> MOST_AT_ONCE = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    private String field;
    private long busyNanos;

    @Override
    public void init(Map<String, Object> params) {
      field = (String) params.get("field");
      busyNanos = 1000L * ((Number) params.getOrDefault("busyMicros", 0)).longValue();
      MOST_AT_ONCE.put(field, new AtomicInteger());
    }

    @Override
    public void process(List<Sample> batch) {
      int now = running.incrementAndGet();
      MOST_AT_ONCE.get(field).accumulateAndGet(now, Math::max);
      try {
        long end = System.nanoTime() + busyNanos;
        while (System.nanoTime() < end) {
          Thread.onSpinWait();
        }
        for (Sample s : batch) {
          s.put(field, Thread.currentThread().getName());
        }
      } finally {
        running.decrementAndGet();
      }
    }
  }
}
