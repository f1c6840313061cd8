package io.pipeserve.bench.client;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.util.List;

/**
 * Paddle's HTTP API with several bodies sent in turn (the OCR sample images), so a pipeline whose
 * cost depends on the input is measured on a mix rather than on one input.
 */
public record RoundRobinHttpTarget(URI url, List<Buffer> bodies) implements Target {
  public RoundRobinHttpTarget {
    bodies = List.copyOf(bodies);
    if (bodies.isEmpty()) {
      throw new IllegalArgumentException("round robin needs at least one body");
    }
  }

  @Override
  public String protocol() {
    return "http";
  }

  @Override
  public String address() {
    return url + " (" + bodies.size() + " bodies in turn)";
  }

  @Override
  public Transport open(Vertx vertx, int maxInFlight) {
    // One counter per event loop: its transport is only used from that loop.
    long[] next = {0};
    return HttpTarget.open(
        vertx, maxInFlight, url, () -> bodies.get((int) (next[0]++ % bodies.size())));
  }
}
