package io.pipeserve.bench.load;

import io.pipeserve.bench.client.Target;
import io.pipeserve.bench.client.Transport;
import io.pipeserve.bench.machine.Machine;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a {@link LoadSpec} against a {@link Target} and measures it. The generator has its own
 * Vert.x instance (its own event loops), so a server in the same JVM never shares a loop with it.
 */
public final class LoadGenerator {
  private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);

  private LoadGenerator() {}

  /** Blocks for warm-up + duration (+ drain when requests are still in flight). */
  public static Result run(LoadSpec spec, Target target) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(spec.ioThreads()));
    try {
      return run(vertx, spec, target);
    } finally {
      await(vertx.close(), SETUP_TIMEOUT);
    }
  }

  private static Result run(Vertx vertx, LoadSpec spec, Target target) {
    int loops = spec.ioThreads();
    List<Context> contexts = EventLoops.contexts(vertx, loops);
    // Start a little ahead so every driver is scheduled before the first slot is due.
    long origin = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
    Window window = Window.after(origin, spec.warmup().toNanos(), spec.duration().toNanos());
    List<Driver> drivers = new ArrayList<>();
    for (int i = 0; i < loops; i++) {
      drivers.add(driver(spec.mode(), contexts.get(i), vertx, target, window, loops, i));
    }
    List<Future<Void>> done = new ArrayList<>();
    for (Driver d : drivers) {
      done.add(d.start());
    }
    Duration planned = Duration.ofNanos(window.end() - System.nanoTime());
    try {
      Future.all(done).await(planned.plus(spec.drain()).toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // Some requests never answered: finish() counts them as NO_ANSWER.
    }
    Tally total = new Tally(window);
    for (Driver d : drivers) {
      total.merge(await(d.finish(), SETUP_TIMEOUT));
    }
    for (Driver d : drivers) {
      d.transport.close();
    }
    return new Result(
        target.protocol(),
        target.address(),
        spec.mode(),
        spec.duration(),
        total.requests,
        total.ok.getTotalCount(),
        total.errors,
        Latency.of(total.ok),
        Latency.of(total.failed),
        Latency.of(total.sendLag),
        Machine.current());
  }

  private static Driver driver(
      Mode mode, Context context, Vertx vertx, Target target, Window window, int loops, int i) {
    if (mode instanceof Mode.Closed closed) {
      int clients = share(closed.clients(), loops, i);
      Transport transport = target.open(vertx, Math.max(1, clients));
      return new ClosedLoopDriver(context, transport, window, clients);
    }
    Mode.Open open = (Mode.Open) mode;
    int max = Math.max(1, share(open.maxOutstanding(), loops, i));
    Transport transport = target.open(vertx, max);
    return new OpenLoopDriver(context, transport, window, open.ratePerSecond(), loops, i, max);
  }

  /** Loop {@code i}'s part of {@code total} when it is spread as evenly as it goes. */
  static int share(int total, int loops, int i) {
    return total / loops + (i < total % loops ? 1 : 0);
  }

  static <T> T await(Future<T> future, Duration timeout) {
    try {
      return future.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("load generator: no answer within " + timeout, e);
    }
  }
}
