package io.pipeserve.runtime.executor;

import io.pipeserve.runtime.predictor.Predictor;
import java.util.ArrayList;
import java.util.List;

/**
 * One process call, cancellable by the op's timeout watchdog. Once {@link #finish()} returned, no
 * cancel action runs any more, so a late watchdog cannot hit the worker's next call.
 */
final class Call implements Predictor.Call {
  private final List<Runnable> onCancel = new ArrayList<>();
  private boolean cancelled;
  private boolean finished;

  @Override
  public synchronized void onCancel(Runnable action) {
    if (cancelled) {
      action.run();
    } else {
      onCancel.add(action);
    }
  }

  @Override
  public synchronized boolean isCancelled() {
    return cancelled;
  }

  synchronized void cancel() {
    if (finished || cancelled) {
      return;
    }
    cancelled = true;
    onCancel.forEach(Runnable::run);
  }

  /** Ends the call; returns whether it was cancelled. */
  synchronized boolean finish() {
    finished = true;
    return cancelled;
  }
}
