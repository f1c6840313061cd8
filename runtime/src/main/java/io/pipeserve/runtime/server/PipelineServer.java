package io.pipeserve.runtime.server;

import io.pipeserve.api.PipelineSpec;
import io.pipeserve.api.ServerSpec;
import io.pipeserve.runtime.distributed.RemoteOps;
import io.pipeserve.runtime.executor.Executor;
import io.pipeserve.runtime.gateway.RequestGate;
import io.pipeserve.runtime.gateway.oip.Models;
import io.pipeserve.runtime.profile.Profiling;
import io.pipeserve.runtime.trace.TraceSettings;
import io.pipeserve.runtime.trace.Tracer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded server: the executor behind the Paddle HTTP and gRPC gateways, plus the health (and
 * later admin) endpoints. {@link #stop} drains gracefully, as Kubernetes expects on SIGTERM.
 */
public final class PipelineServer {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineServer.class);

  /** Every address, as a pod must; tests and e2e pass a loopback address. */
  public static final String ALL_INTERFACES = "0.0.0.0";

  private static final long START_TIMEOUT_SECONDS = 60;

  private final Vertx vertx;
  private final RequestGate gate;
  private final Executor executor;
  private final RemoteOps remotes;
  private final Ports ports;
  private final TraceSettings traceSettings;
  private final Tracer tracer;
  private final Profiling profiling;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);

  private PipelineServer(
      Vertx vertx,
      RequestGate gate,
      Executor executor,
      RemoteOps remotes,
      Ports ports,
      TraceSettings traceSettings,
      Tracer tracer,
      Profiling profiling) {
    this.vertx = vertx;
    this.gate = gate;
    this.executor = executor;
    this.remotes = remotes;
    this.ports = ports;
    this.traceSettings = traceSettings;
    this.tracer = tracer;
    this.profiling = profiling;
  }

  /** Builds the pipeline (loading its models) and serves it on every interface. */
  public static PipelineServer start(PipelineSpec spec, Path baseDir) {
    return start(spec, baseDir, ALL_INTERFACES);
  }

  /**
   * Builds the pipeline (loading its models) and serves it on {@code host}. When the servers cannot
   * start, the pipeline is closed again before the error is thrown.
   */
  public static PipelineServer start(PipelineSpec spec, Path baseDir, String host) {
    ServerSpec server = spec.server();
    // Before the models load: a bad OTEL_* variable should fail fast.
    TraceSettings traceSettings = TraceSettings.create(spec, System.getenv());
    int eventLoops =
        server.workers() > 0 ? server.workers() : Runtime.getRuntime().availableProcessors();
    Tracer tracer = Tracer.start(traceSettings);
    Executor executor;
    Profiling profiling = Profiling.create(spec);
    // Ops with endpoints run in processes of their own: the executor reaches them through these.
    RemoteOps remotes = new RemoteOps();
    try {
      executor = Executor.start(spec, baseDir, profiling.observer(), remotes);
    } catch (RuntimeException e) {
      remotes.close();
      tracer.close();
      throw e;
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
    RequestGate gate = new RequestGate(executor, tracer, remotes::notReady);
    profiling.start(executor, gate::inFlight, eventLoops);
    remotes.bindMetrics(profiling.metrics().registry(), server.name());
    try {
      Ports ports =
          deploy(vertx, server, host, gate, executor, eventLoops, traceSettings, profiling);
      LOG.info(
          "pipeline '{}' serving on {}: HTTP port {} (POST /{}/prediction), gRPC port {},"
              + " admin port {}, {} event loops",
          server.name(),
          host,
          ports.http(),
          server.name(),
          ports.grpc(),
          ports.admin(),
          eventLoops);
      return new PipelineServer(
          vertx, gate, executor, remotes, ports, traceSettings, tracer, profiling);
    } catch (RuntimeException e) {
      await(vertx.close(), Duration.ofSeconds(10));
      executor.close();
      remotes.close();
      profiling.close();
      tracer.close();
      throw e;
    }
  }

  // Every instance binds the same ports, which Vert.x shares among the instances of one Vertx. A
  // negative port is Vert.x's "free port shared by all who ask for this value": port 0 would give
  // each instance a port of its own.
  private static Ports deploy(
      Vertx vertx,
      ServerSpec server,
      String host,
      RequestGate gate,
      Executor executor,
      int instances,
      TraceSettings traceSettings,
      Profiling profiling) {
    boolean separateAdmin = hasSeparateAdmin(server);
    Models models = Models.of(executor.spec(), executor::op);
    Ports wanted =
        new Ports(
            sharedPort(server.httpPort(), -1),
            sharedPort(server.grpcPort(), -2),
            separateAdmin ? sharedPort(server.adminPort(), -3) : -1);
    Ports bound = null;
    for (int i = 0; i < instances; i++) {
      GatewayVerticle instance =
          verticle(server, host, gate, wanted, separateAdmin, traceSettings, profiling, models);
      await(vertx.deployVerticle(instance), Duration.ofSeconds(START_TIMEOUT_SECONDS));
      bound = bound == null ? instance.bound() : bound;
    }
    return bound;
  }

  private static int sharedPort(int port, int sharedFreePort) {
    return port == 0 ? sharedFreePort : port;
  }

  // adminPort unset or equal to a fixed httpPort: admin actions share the HTTP server. Both 0
  // means two distinct free ports, since the spec asked for an admin server of its own.
  private static boolean hasSeparateAdmin(ServerSpec server) {
    Integer admin = server.adminPort();
    return admin != null && !(admin.equals(server.httpPort()) && admin != 0);
  }

  private static GatewayVerticle verticle(
      ServerSpec server,
      String host,
      RequestGate gate,
      Ports ports,
      boolean separateAdmin,
      TraceSettings traceSettings,
      Profiling profiling,
      Models models) {
    return new GatewayVerticle(
        server.name(),
        server.maxBodyBytes(),
        gate,
        host,
        ports,
        separateAdmin,
        traceSettings,
        profiling::mount,
        models);
  }

  /** The trace settings: what the trace protocol changes and requests read at their start. */
  public TraceSettings traceSettings() {
    return traceSettings;
  }

  public Ports ports() {
    return ports;
  }

  public int httpPort() {
    return ports.http();
  }

  public int grpcPort() {
    return ports.grpc();
  }

  public int adminPort() {
    return ports.admin();
  }

  /** The executor running the pipeline (its ops' batching counters, channel sizes). */
  public Executor executor() {
    return executor;
  }

  /** The tracer statistics, profile table and Prometheus metrics of this pipeline. */
  public Profiling profiling() {
    return profiling;
  }

  /** Requests admitted by the gateways and not yet answered. */
  public int inFlight() {
    return gate.inFlight();
  }

  /** The clients of the ops that run in processes of their own. */
  public RemoteOps remotes() {
    return remotes;
  }

  /** Whether readiness probes pass: started, not draining, every remote op has a replica. */
  public boolean isReady() {
    return gate.isReady();
  }

  /**
   * Stops gracefully: readiness turns 503 and new requests are refused (CLOSED_ERROR) at once;
   * requests in flight may finish within {@code grace}; then the servers and the pipeline close.
   * Safe to call more than once and from several threads; later calls wait for the first.
   */
  public void stop(Duration grace) {
    if (!stopping.compareAndSet(false, true)) {
      awaitStopped();
      return;
    }
    try {
      gate.drain();
      LOG.info("draining: waiting up to {} ms for {} requests", grace.toMillis(), gate.inFlight());
      long deadline = System.nanoTime() + grace.toNanos();
      while ((gate.inFlight() > 0 || executor.inFlight() > 0) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      if (gate.inFlight() > 0) {
        LOG.warn("grace period over: {} requests still in flight are cut off", gate.inFlight());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        await(vertx.close(), Duration.ofSeconds(10));
      } catch (RuntimeException e) {
        LOG.warn("closing the servers failed", e);
      }
      executor.close();
      remotes.close(); // after the executor, which closes each client
      profiling.close(); // after the executor: the profile table counts every request
      tracer.close(); // last: writes the traces of the requests that just finished
      LOG.info("stopped");
      stopped.countDown();
    }
  }

  /** Stops gracefully when the JVM is asked to exit (SIGTERM, SIGINT). */
  public void stopOnShutdown(Duration grace) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(grace), "pipeserve-shutdown"));
  }

  /** Blocks until {@link #stop} has finished. */
  public void blockUntilShutdown() throws InterruptedException {
    stopped.await();
  }

  private void awaitStopped() {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static <T> T await(Future<T> future, Duration timeout) {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "the servers did not answer within " + timeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the servers", e);
    }
  }
}
