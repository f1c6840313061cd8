package io.pipeserve.runtime.distributed;

import io.pipeserve.runtime.gateway.http.HealthRoutes;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One event loop's share of an op process's servers: the channel service (gRPC) and health and
 * metrics (HTTP). Vert.x shares each port among the instances, so the streams of many gateways
 * spread over the event loops.
 */
final class OpVerticle extends VerticleBase {

  /** The ports an op process listens on. */
  record Ports(int http, int grpc) {}

  /**
   * @param statsRoutes mounts /metrics and /v2/profile
   */
  record Settings(
      String host,
      int httpPort,
      int grpcPort,
      ChannelService channel,
      Consumer<Router> statsRoutes) {}

  private final Settings settings;
  private final AtomicReference<Ports> bound;

  private OpVerticle(Settings settings, AtomicReference<Ports> bound) {
    this.settings = settings;
    this.bound = bound;
  }

  /** Deploys one instance per event loop; returns the ports they share. */
  static Ports deploy(Vertx vertx, int instances, Settings settings, Duration timeout) {
    // A negative port is Vert.x's "free port shared by all who ask for this value"; port 0 would
    // give each instance a port of its own.
    Settings shared =
        new Settings(
            settings.host(),
            settings.httpPort() == 0 ? -1 : settings.httpPort(),
            settings.grpcPort() == 0 ? -2 : settings.grpcPort(),
            settings.channel(),
            settings.statsRoutes());
    AtomicReference<Ports> bound = new AtomicReference<>();
    OpServer.await(
        vertx.deployVerticle(
            () -> new OpVerticle(shared, bound), new DeploymentOptions().setInstances(instances)),
        timeout);
    return bound.get();
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    HealthRoutes.mount(router, settings.channel()::notReady);
    settings.statsRoutes().accept(router);
    Future<HttpServer> http =
        vertx
            .createHttpServer(new HttpServerOptions())
            .requestHandler(router)
            .listen(settings.httpPort(), settings.host())
            .recover(e -> Future.failedFuture(bindError("httpPort", settings.httpPort(), e)));

    GrpcServer grpcServer =
        GrpcServer.server(
            vertx, new GrpcServerOptions().setMaxMessageSize(ChannelProtocol.MAX_MESSAGE_BYTES));
    settings.channel().mount(grpcServer);
    Future<HttpServer> grpc =
        vertx
            .createHttpServer(ChannelProtocol.serverOptions())
            .requestHandler(grpcServer)
            .listen(settings.grpcPort(), settings.host())
            .recover(e -> Future.failedFuture(bindError("grpcPort", settings.grpcPort(), e)));
    return Future.all(http, grpc)
        .onSuccess(
            done ->
                bound.compareAndSet(
                    null, new Ports(http.result().actualPort(), grpc.result().actualPort())));
  }

  private IllegalStateException bindError(String field, int port, Throwable cause) {
    return new IllegalStateException(
        "cannot listen on "
            + settings.host()
            + ":"
            + Math.max(port, 0)
            + " (server."
            + field
            + "): "
            + cause.getMessage()
            + "; free the port or choose another",
        cause);
  }
}
