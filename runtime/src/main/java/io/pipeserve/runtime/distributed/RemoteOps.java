package io.pipeserve.runtime.distributed;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pipeserve.api.OpSpec;
import io.pipeserve.runtime.executor.OpClient;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A gateway's clients of the ops that run in processes of their own: the {@link OpClient.Factory}
 * its executor connects them with, and the readiness they give the gateway (ready only when every
 * such op has a ready replica). The clients share a small Vert.x instance of their own, started
 * only when the pipeline has such an op.
 */
public final class RemoteOps implements OpClient.Factory, AutoCloseable {
  // Each op's streams live on one event loop; two spread several remote ops without taking the
  // cores the gateways and op workers need.
  private static final int EVENT_LOOPS = 2;

  private final Map<String, ChannelClient> clients = new LinkedHashMap<>();
  private Vertx vertx;

  @Override
  public synchronized OpClient connect(OpSpec op, int index) {
    if (vertx == null) {
      vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(EVENT_LOOPS));
    }
    ChannelClient client = new ChannelClient(op, vertx, Resolver.of(op.endpoints()));
    clients.put(op.name(), client);
    return client;
  }

  /**
   * Why the pipeline cannot serve: the first op without a ready replica; null when all have one.
   */
  public synchronized String notReady() {
    for (ChannelClient client : clients.values()) {
      String why = client.notReady();
      if (why != null) {
        return why;
      }
    }
    return null;
  }

  /** The ops that run elsewhere, by name. */
  public synchronized List<String> ops() {
    return List.copyOf(clients.keySet());
  }

  /** Samples of {@code op} resent after the replica they were on failed or drained. */
  public synchronized long resent(String op) {
    ChannelClient client = clients.get(op);
    return client == null ? 0 : client.resent();
  }

  /**
   * Adds, per remote op, {@code pipeserve_remote_replicas_ready} (replicas taking samples now) and
   * {@code pipeserve_remote_resent_total} (samples sent again after their replica failed or
   * drained) to the pipeline's metrics.
   */
  public synchronized void bindMetrics(MeterRegistry registry, String pipeline) {
    clients.forEach(
        (op, client) -> {
          Gauge.builder("pipeserve.remote.replicas.ready", client, c -> c.readyReplicas().size())
              .description("Replicas of an op in processes of its own that take samples now")
              .tags("pipeline", pipeline, "op", op)
              .register(registry);
          FunctionCounter.builder("pipeserve.remote.resent", client, ChannelClient::resent)
              .description("Samples sent again after the replica they were on failed or drained")
              .tags("pipeline", pipeline, "op", op)
              .register(registry);
        });
  }

  /** Closes the connections; after the executor, which closes each client first. */
  @Override
  public synchronized void close() {
    if (vertx != null) {
      OpServer.await(vertx.close(), Duration.ofSeconds(10));
      vertx = null;
    }
  }
}
