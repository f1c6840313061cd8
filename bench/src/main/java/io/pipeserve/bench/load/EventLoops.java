package io.pipeserve.bench.load;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One event-loop context per loop of a Vert.x instance. Verticle instances get distinct event loops
 * in turn, which is the public way to pin work to each loop.
 */
final class EventLoops {
  private EventLoops() {}

  static List<Context> contexts(Vertx vertx, int n) {
    List<Context> contexts = new CopyOnWriteArrayList<>();
    LoadGenerator.await(
        vertx.deployVerticle(
            () ->
                new VerticleBase() {
                  @Override
                  public Future<?> start() {
                    contexts.add(context);
                    return Future.succeededFuture();
                  }
                },
            new DeploymentOptions().setInstances(n)),
        Duration.ofSeconds(30));
    return List.copyOf(contexts);
  }
}
