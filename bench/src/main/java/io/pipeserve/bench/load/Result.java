package io.pipeserve.bench.load;

import io.pipeserve.bench.machine.Machine;
import java.time.Duration;
import java.util.Map;

/**
 * The figures of one run, over its measured window only (warm-up excluded).
 *
 * @param requests every request due in the window, each ending in exactly one outcome: ok, or one
 *     of {@code errors} (including not sent and never answered)
 * @param ok the requests answered successfully (HTTP 200 / gRPC OK, with err_no 0 when present)
 * @param errors error counts by code, sorted by code
 * @param latency latency of the successful requests
 * @param errorLatency latency of the requests answered with an error (how fast a refusal comes)
 * @param sendLag open loop only: how late the generator sent requests after their intended time; a
 *     large value means the generator, not the server, limited the run
 */
public record Result(
    String protocol,
    String address,
    Mode mode,
    Duration duration,
    long requests,
    long ok,
    Map<String, Long> errors,
    Latency latency,
    Latency errorLatency,
    Latency sendLag,
    Machine machine) {
  public Result {
    errors = Map.copyOf(errors);
  }

  /** Successful requests per second. */
  public double throughput() {
    return ok / seconds();
  }

  /** Requests per second that were due, successful or not. */
  public double offeredRate() {
    return requests / seconds();
  }

  public long errorCount() {
    return requests - ok;
  }

  public double seconds() {
    return duration.toNanos() / 1e9;
  }
}
