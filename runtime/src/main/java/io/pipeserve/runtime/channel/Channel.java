package io.pipeserve.runtime.channel;

import io.pipeserve.runtime.op.Sample;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The input channel of one op. It aligns the outputs of the op's upstream ops by {@code data_id}:
 * an entry becomes ready once every input has delivered its sample for that id, merged into one.
 * Ready entries are taken in arrival order.
 *
 * <p>The channel never blocks a producer: the executor admits at most {@code dag.channelSize}
 * requests at once, and each request has at most one entry per channel, so no channel can hold more
 * than that many entries.
 */
public final class Channel {
  private final List<String> inputs;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Map<Long, Map<String, Sample>> partial = new HashMap<>();
  private final LinkedHashMap<Long, Entry> ready = new LinkedHashMap<>();
  private boolean closed;

  /**
   * @param inputs the names of the upstream producers, in the op's declared order
   */
  public Channel(List<String> inputs) {
    this.inputs = List.copyOf(inputs);
  }

  /** A ready entry: the aligned sample and when it became ready. */
  public record Entry(Sample sample, long readyNanos) {}

  /** Delivers {@code from}'s output for the sample's data_id. */
  public void put(String from, Sample sample) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      if (inputs.size() == 1) {
        markReady(sample);
        return;
      }
      Map<String, Sample> parts = partial.computeIfAbsent(sample.dataId(), id -> new HashMap<>());
      parts.put(from, sample);
      if (parts.size() == inputs.size()) {
        partial.remove(sample.dataId());
        markReady(merge(parts));
      }
    } finally {
      lock.unlock();
    }
  }

  /** Takes the oldest ready entry, waiting up to the timeout; null when none came or closed. */
  public Entry poll(long timeout, TimeUnit unit) throws InterruptedException {
    long nanos = unit.toNanos(timeout);
    lock.lock();
    try {
      while (ready.isEmpty() && !closed) {
        if (nanos <= 0) {
          return null;
        }
        nanos = notEmpty.awaitNanos(nanos);
      }
      if (ready.isEmpty()) {
        return null;
      }
      Iterator<Entry> it = ready.values().iterator();
      Entry e = it.next();
      it.remove();
      return e;
    } finally {
      lock.unlock();
    }
  }

  /** Takes the oldest ready entry without waiting; null when there is none. */
  public Entry take() {
    lock.lock();
    try {
      if (ready.isEmpty()) {
        return null;
      }
      Iterator<Entry> it = ready.values().iterator();
      Entry e = it.next();
      it.remove();
      return e;
    } finally {
      lock.unlock();
    }
  }

  /** Forgets everything held for a request that has completed (answered, failed or timed out). */
  public void discard(long dataId) {
    lock.lock();
    try {
      partial.remove(dataId);
      ready.remove(dataId);
    } finally {
      lock.unlock();
    }
  }

  /** Entries held: ready ones plus those still waiting for an input. */
  public int size() {
    lock.lock();
    try {
      return ready.size() + partial.size();
    } finally {
      lock.unlock();
    }
  }

  /** Wakes every waiting taker; later puts are ignored. */
  public void close() {
    lock.lock();
    try {
      closed = true;
      ready.clear();
      partial.clear();
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void markReady(Sample sample) {
    ready.put(sample.dataId(), new Entry(sample, System.nanoTime()));
    notEmpty.signal();
  }

  /**
   * Every field is available qualified by its producer ({@code det.boxes}); the plain name ({@code
   * boxes}) comes from the first input, in declared order, that has it.
   */
  private Sample merge(Map<String, Sample> parts) {
    Sample first = parts.get(inputs.get(0));
    Sample merged = new Sample(first.dataId(), first.logId(), Map.of());
    for (String input : inputs) {
      for (Map.Entry<String, Object> f : parts.get(input).fields().entrySet()) {
        merged.fields().putIfAbsent(f.getKey(), f.getValue());
        merged.put(input + "." + f.getKey(), f.getValue());
      }
    }
    return merged;
  }
}
