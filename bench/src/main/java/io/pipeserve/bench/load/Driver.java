package io.pipeserve.bench.load;

import io.pipeserve.bench.client.Transport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * The requests of one event loop. Every field is touched only on {@link #context}, so none needs a
 * lock; {@link #finish} reads the tally there too.
 */
abstract class Driver {
  final Context context;
  final Transport transport;
  final Window window;
  final Tally tally;
  private final Promise<Void> done = Promise.promise();
  private boolean closed;
  private int outstanding;
  private int outstandingMeasured;

  Driver(Context context, Transport transport, Window window) {
    this.context = context;
    this.transport = transport;
    this.window = window;
    this.tally = new Tally(window);
  }

  /** Runs the driver's schedule; the future completes when it sent its last request. */
  final Future<Void> start() {
    context.runOnContext(v -> begin());
    return done.future();
  }

  /** Called on the context to send the first requests. */
  abstract void begin();

  /** Called on the context after each answer has been recorded. */
  abstract void answered();

  /**
   * Stops recording and hands over the tally; requests of the measured window still in flight count
   * as {@link Outcome#NO_ANSWER}.
   */
  final Future<Tally> finish() {
    Promise<Tally> result = Promise.promise();
    context.runOnContext(
        v -> {
          closed = true;
          tally.count(Outcome.NO_ANSWER, outstandingMeasured);
          result.complete(tally);
        });
    return result.future();
  }

  /** Sends one request; its latency runs from {@code intendedNanos}. */
  final void send(long intendedNanos) {
    boolean measured = window.contains(intendedNanos);
    outstanding++;
    if (measured) {
      outstandingMeasured++;
    }
    transport
        .send()
        .onComplete(
            ar -> {
              if (closed) {
                return;
              }
              long now = System.nanoTime();
              outstanding--;
              if (measured) {
                outstandingMeasured--;
              }
              tally.record(
                  intendedNanos, now, ar.succeeded() ? ar.result() : Outcome.io(ar.cause()));
              answered();
            });
  }

  final int outstanding() {
    return outstanding;
  }

  final boolean closed() {
    return closed;
  }

  /** Marks the schedule complete once nothing is in flight. */
  final void doneWhenIdle() {
    if (outstanding == 0) {
      done.tryComplete();
    }
  }
}
