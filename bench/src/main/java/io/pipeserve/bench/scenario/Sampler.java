package io.pipeserve.bench.scenario;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples this process's CPU time and used heap every {@value #PERIOD_MS} ms, so a scenario can ask
 * afterwards what they were during a measured window. Taken from the JVM, so a load generator in
 * the same JVM counts too: the figure is how busy the machine's cores were kept by this process.
 */
public final class Sampler implements AutoCloseable {
  static final long PERIOD_MS = 50;

  private record Point(long nanos, long cpuNanos, long heapBytes, long liveBytes) {}

  /**
   * @param cpuBusy process CPU time over wall time times cores: 1.0 = every core busy
   * @param maxHeapBytes the most heap in use at any sample of the window (garbage included, so it
   *     follows the collector's sizing as much as the program)
   * @param maxLiveBytes the most heap left in use after a collection (the heap pools' usage after
   *     their last GC) at any sample of the window: what the program actually holds
   */
  public record Usage(double cpuBusy, long maxHeapBytes, long maxLiveBytes) {}

  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final List<Point> points = new ArrayList<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "bench-sampler");
            t.setDaemon(true);
            return t;
          });

  public Sampler() {
    timer.scheduleAtFixedRate(this::sample, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
  }

  private void sample() {
    long live = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage afterGc = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
      live += afterGc == null ? 0 : afterGc.getUsed();
    }
    Point p =
        new Point(
            System.nanoTime(), os.getProcessCpuTime(), memory.getHeapMemoryUsage().getUsed(), live);
    synchronized (points) {
      points.add(p);
    }
  }

  /** CPU and heap between two {@link System#nanoTime()} instants. */
  public Usage between(long fromNanos, long toNanos) {
    sample();
    List<Point> in;
    synchronized (points) {
      in = points.stream().filter(p -> p.nanos >= fromNanos && p.nanos <= toNanos).toList();
    }
    if (in.size() < 2) {
      return new Usage(
          Double.NaN,
          in.isEmpty() ? 0 : in.get(0).heapBytes,
          in.isEmpty() ? 0 : in.get(0).liveBytes);
    }
    Point first = in.get(0);
    Point last = in.get(in.size() - 1);
    double cores = Runtime.getRuntime().availableProcessors();
    double busy = (last.cpuNanos - first.cpuNanos) / ((last.nanos - first.nanos) * cores);
    long maxHeap = in.stream().mapToLong(Point::heapBytes).max().orElse(0);
    long maxLive = in.stream().mapToLong(Point::liveBytes).max().orElse(0);
    return new Usage(busy, maxHeap, maxLive);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
