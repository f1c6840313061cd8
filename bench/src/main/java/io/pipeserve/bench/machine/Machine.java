package io.pipeserve.bench.machine;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/** The facts a figure depends on, recorded next to it. */
public record Machine(int cores, long memoryBytes, long maxHeapBytes, String jdk, String os) {
  public static Machine current() {
    return new Machine(
        Runtime.getRuntime().availableProcessors(),
        physicalMemory(),
        Runtime.getRuntime().maxMemory(),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
  }

  /** {@code 2 cores, 23.4 GiB memory, max heap 5.9 GiB, OpenJDK 64-Bit Server VM 17…, Linux …}. */
  public String describe() {
    return String.format(
        Locale.ROOT,
        "%d cores, %s memory, max heap %s, %s, %s",
        cores,
        gib(memoryBytes),
        gib(maxHeapBytes),
        jdk,
        os);
  }

  private static String gib(long bytes) {
    return bytes <= 0
        ? "unknown"
        : String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
  }

  private static long physicalMemory() {
    // The com.sun extension is in every HotSpot/OpenJ9 build we run on; elsewhere say unknown.
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return -1;
  }
}
