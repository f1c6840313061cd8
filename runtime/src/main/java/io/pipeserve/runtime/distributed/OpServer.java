package io.pipeserve.runtime.distributed;

import io.pipeserve.api.EndpointsSpec;
import io.pipeserve.api.OpSpec;
import io.pipeserve.api.PipelineSpec;
import io.pipeserve.api.ServerSpec;
import io.pipeserve.runtime.executor.Executor;
import io.pipeserve.runtime.executor.OpObserver;
import io.pipeserve.runtime.profile.Profiling;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One op of a pipeline served on its own ({@code pipeserve serve FILE --op NAME}): the channel
 * service on the gRPC port; health ({@code /v2/health/live}, {@code /v2/health/ready}), {@code
 * /metrics} and {@code /v2/profile} on the HTTP port.
 *
 * <p>The op runs in an executor of its own over a pipeline of just that op, so it keeps the
 * concurrency, batching and devices it has in a gateway, and its batches merge the samples of every
 * gateway connected to it. {@link #stop} drains as Kubernetes expects on SIGTERM: readiness turns
 * 503, every gateway is told to send no more, samples already sent finish within the grace period,
 * and whatever is left is resent by the gateways once the streams close.
 */
public final class OpServer {
  private static final Logger LOG = LoggerFactory.getLogger(OpServer.class);
  private static final long START_TIMEOUT_SECONDS = 60;

  private final String op;
  private final Vertx vertx;
  private final Executor executor;
  private final Profiling profiling;
  private final ChannelService channel;
  private final OpVerticle.Ports ports;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);

  private OpServer(
      String op,
      Vertx vertx,
      Executor executor,
      Profiling profiling,
      ChannelService channel,
      OpVerticle.Ports ports) {
    this.op = op;
    this.vertx = vertx;
    this.executor = executor;
    this.profiling = profiling;
    this.channel = channel;
    this.ports = ports;
  }

  /**
   * Builds op {@code opName} of {@code spec} (loading its model) and serves it on {@code host}: the
   * channel service on {@code server.grpcPort}, health and metrics on {@code server.httpPort}.
   *
   * @throws IllegalArgumentException when the spec has no such op
   */
  public static OpServer start(PipelineSpec spec, String opName, Path baseDir, String host) {
    OpSpec op = find(spec, opName);
    PipelineSpec alone = alone(spec, op);
    ServerSpec server = spec.server();
    int eventLoops =
        server.workers() > 0 ? server.workers() : Runtime.getRuntime().availableProcessors();
    Profiling profiling = Profiling.create(alone);
    StageTimes times = new StageTimes();
    Executor executor =
        Executor.start(alone, baseDir, OpObserver.all(List.of(profiling.observer(), times)));
    int window = spec.dag().channelSize();
    ChannelService channel = new ChannelService(op.name(), window, executor, times);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
    profiling.start(executor, executor::inFlight, eventLoops);
    try {
      OpVerticle.Ports ports =
          OpVerticle.deploy(
              vertx,
              eventLoops,
              new OpVerticle.Settings(
                  host, server.httpPort(), server.grpcPort(), channel, profiling::mount),
              Duration.ofSeconds(START_TIMEOUT_SECONDS));
      LOG.info(
          "op '{}' of pipeline '{}' serving on {}: channel service on gRPC port {} (window {}),"
              + " health and metrics on HTTP port {}, {} event loops",
          op.name(),
          server.name(),
          host,
          ports.grpc(),
          window,
          ports.http(),
          eventLoops);
      return new OpServer(op.name(), vertx, executor, profiling, channel, ports);
    } catch (RuntimeException e) {
      await(vertx.close(), Duration.ofSeconds(10));
      executor.close();
      profiling.close();
      throw e;
    }
  }

  /**
   * The port the op's channel service listens on when the command line names none: the port its
   * endpoints name when they all name the same one (the replicas of one Service), else null.
   */
  public static Integer endpointsPort(OpSpec op) {
    EndpointsSpec endpoints = op.endpoints();
    if (endpoints == null) {
      return null;
    }
    List<String> all = endpoints.dns() != null ? List.of(endpoints.dns()) : endpoints.addresses();
    List<Integer> ports =
        all.stream().map(a -> EndpointsSpec.HostPort.parse(a).port()).distinct().toList();
    return ports.size() == 1 ? ports.get(0) : null;
  }

  private static OpSpec find(PipelineSpec spec, String name) {
    return spec.ops().stream()
        .filter(o -> o.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no op '"
                        + name
                        + "' in the spec; its ops: "
                        + String.join(", ", spec.ops().stream().map(OpSpec::name).toList())));
  }

  /**
   * The pipeline of just this op: it reads what the gateway sends (no inputs) and answers it, and
   * it runs here (no endpoints).
   */
  static PipelineSpec alone(PipelineSpec spec, OpSpec op) {
    OpSpec here =
        new OpSpec(
            op.name(),
            List.of(),
            op.kind(),
            op.model(),
            op.className(),
            op.remote(),
            op.preprocess(),
            op.postprocess(),
            op.feed(),
            op.fetch(),
            op.outputs(),
            op.concurrency(),
            op.batch(),
            op.timeoutMs(),
            op.retry(),
            op.device(),
            op.params(),
            op.trace(),
            null);
    return new PipelineSpec(spec.server(), spec.dag(), List.of(here), spec.trace());
  }

  public String op() {
    return op;
  }

  public int httpPort() {
    return ports.http();
  }

  public int grpcPort() {
    return ports.grpc();
  }

  /** The executor running the op (its batch counters). */
  public Executor executor() {
    return executor;
  }

  /** Why the op process is not ready; null when it is. */
  public String notReady() {
    return channel.notReady();
  }

  /**
   * Stops gracefully: readiness turns 503 and every gateway is told to send no more; samples in
   * flight may finish within {@code grace}; then the streams close (the gateways resend what is
   * left to other replicas) and the op is released. Later calls wait for the first.
   */
  public void stop(Duration grace) {
    if (!stopping.compareAndSet(false, true)) {
      awaitStopped();
      return;
    }
    try {
      channel.drain();
      LOG.info("draining: waiting up to {} ms for {} samples", grace.toMillis(), inFlight());
      long deadline = System.nanoTime() + grace.toNanos();
      while (inFlight() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
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
      profiling.close();
      LOG.info("stopped");
      stopped.countDown();
    }
  }

  private int inFlight() {
    return executor.inFlight();
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

  static <T> T await(Future<T> future, Duration timeout) {
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
