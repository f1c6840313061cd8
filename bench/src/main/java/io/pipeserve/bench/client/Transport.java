package io.pipeserve.bench.client;

import io.pipeserve.bench.load.Outcome;
import io.vertx.core.Future;

/**
 * Sends the one request of a run and reports how it ended. Used from a single event loop (the one
 * it was opened on), so its connections stay on that loop and answers need no thread hop.
 */
public interface Transport {
  /** Sends the request; the future never fails: transport failures are {@link Outcome}s too. */
  Future<Outcome> send();

  Future<Void> close();
}
