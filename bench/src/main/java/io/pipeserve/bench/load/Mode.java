package io.pipeserve.bench.load;

/** How requests are paced. */
public sealed interface Mode {
  /** {@code clients} concurrent clients, each sending its next request when the last answers. */
  record Closed(int clients) implements Mode {
    public Closed {
      if (clients < 1) {
        throw new IllegalArgumentException("concurrency must be >= 1, got " + clients);
      }
    }

    @Override
    public String toString() {
      return "closed loop, " + clients + " clients";
    }
  }

  /**
   * Requests on a fixed timetable of {@code ratePerSecond}, whatever the server does; latency runs
   * from each request's scheduled time, so a stalled server is charged for every request it delayed
   * (no coordinated omission). At most {@code maxOutstanding} are in flight; a request due beyond
   * that is not sent and counts as an error.
   */
  record Open(double ratePerSecond, int maxOutstanding) implements Mode {
    public Open {
      if (!(ratePerSecond > 0)) {
        throw new IllegalArgumentException("rate must be > 0/s, got " + ratePerSecond);
      }
      if (maxOutstanding < 1) {
        throw new IllegalArgumentException("max outstanding must be >= 1, got " + maxOutstanding);
      }
    }

    @Override
    public String toString() {
      return String.format(
          java.util.Locale.ROOT,
          "open loop, %.0f/s, at most %d outstanding",
          ratePerSecond,
          maxOutstanding);
    }
  }
}
