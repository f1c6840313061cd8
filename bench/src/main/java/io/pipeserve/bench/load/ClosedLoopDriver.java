package io.pipeserve.bench.load;

import io.pipeserve.bench.client.Transport;
import io.vertx.core.Context;

/**
 * {@code clients} request loops: each sends as soon as its previous request answered, until the
 * window ends. Latency is the plain round trip, as each client waits for its answer anyway.
 */
final class ClosedLoopDriver extends Driver {
  private final int clients;

  ClosedLoopDriver(Context context, Transport transport, Window window, int clients) {
    super(context, transport, window);
    this.clients = clients;
  }

  @Override
  void begin() {
    for (int i = 0; i < clients; i++) {
      next();
    }
  }

  @Override
  void answered() {
    next();
  }

  private void next() {
    long now = System.nanoTime();
    if (closed() || now >= window.end()) {
      doneWhenIdle();
      return;
    }
    send(now);
  }
}
