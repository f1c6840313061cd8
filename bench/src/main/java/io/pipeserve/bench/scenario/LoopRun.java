package io.pipeserve.bench.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A closed loop of plain calls on {@code threads} threads for warm-up + duration: the baseline side
 * of a scenario whose baseline is not a server. Calls completed inside the measured window count.
 */
final class LoopRun {
  /** One call of the loop; {@code i} counts the thread's calls, to rotate inputs. */
  @FunctionalInterface
  interface Call {
    void run(int thread, long i) throws Exception;
  }

  /**
   * @param calls calls completed inside the window
   * @param seconds the window
   */
  record Outcome(long calls, double seconds, Sampler.Usage usage) {
    double perSecond() {
      return calls / seconds;
    }
  }

  private LoopRun() {}

  static Outcome run(int threads, Duration warmup, Duration duration, Sampler sampler, Call call) {
    long start = System.nanoTime();
    long from = start + warmup.toNanos();
    long to = from + duration.toNanos();
    AtomicLong done = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread worker =
          new Thread(
              () -> {
                try {
                  for (long i = 0; System.nanoTime() < to && failure.get() == null; i++) {
                    call.run(thread, i);
                    long now = System.nanoTime();
                    if (now >= from && now <= to) {
                      done.incrementAndGet();
                    }
                  }
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                }
              },
              "bench-loop-" + t);
      worker.start();
      all.add(worker);
    }
    for (Thread t : all) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the loop ran", e);
      }
    }
    if (failure.get() != null) {
      throw new IllegalStateException("the loop baseline failed: " + failure.get(), failure.get());
    }
    return new Outcome(done.get(), duration.toNanos() / 1e9, sampler.between(from, to));
  }
}
