package io.pipeserve.runtime.server;

import io.pipeserve.runtime.gateway.RequestGate;
import io.pipeserve.runtime.gateway.grpc.PaddleGrpcGateway;
import io.pipeserve.runtime.gateway.grpc.trace.TraceSettingService;
import io.pipeserve.runtime.gateway.http.HealthRoutes;
import io.pipeserve.runtime.gateway.http.PaddleHttpGateway;
import io.pipeserve.runtime.gateway.http.trace.TraceRoutes;
import io.pipeserve.runtime.gateway.oip.Inference;
import io.pipeserve.runtime.gateway.oip.Models;
import io.pipeserve.runtime.gateway.oip.ServerMetadata;
import io.pipeserve.runtime.gateway.oip.grpc.OipGrpcService;
import io.pipeserve.runtime.gateway.oip.http.OipHttpRoutes;
import io.pipeserve.runtime.trace.TraceSettings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.grpc.server.GrpcServer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One event loop's share of the servers. The server deploys one instance per event loop; Vert.x
 * shares each port among the instances and spreads connections over them.
 */
final class GatewayVerticle extends VerticleBase {
  private final String serviceName;
  private final long maxBodyBytes;
  private final RequestGate gate;
  private final String host;
  private final Ports ports;
  private final boolean separateAdmin;
  private final TraceSettings traceSettings;
  private final Consumer<Router> statsRoutes;
  private final Models models;
  private Ports bound;

  /**
   * @param ports the ports to bind (0 = ephemeral, for the first instance only)
   * @param separateAdmin whether admin actions get their own HTTP server on {@code ports.admin()}
   * @param traceSettings served by the trace protocol
   * @param statsRoutes mounts /metrics and /v2/profile (on the HTTP and the admin port)
   * @param models the models served over the Open Inference Protocol
   */
  GatewayVerticle(
      String serviceName,
      long maxBodyBytes,
      RequestGate gate,
      String host,
      Ports ports,
      boolean separateAdmin,
      TraceSettings traceSettings,
      Consumer<Router> statsRoutes,
      Models models) {
    this.serviceName = serviceName;
    this.maxBodyBytes = maxBodyBytes;
    this.gate = gate;
    this.host = host;
    this.ports = ports;
    this.separateAdmin = separateAdmin;
    this.traceSettings = traceSettings;
    this.statsRoutes = statsRoutes;
    this.models = models;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    Inference inference = new Inference(models, gate);
    new PaddleHttpGateway(serviceName, maxBodyBytes, gate).mount(router);
    HealthRoutes.mount(router, gate);
    new OipHttpRoutes(inference, ServerMetadata.current(), maxBodyBytes).mount(router);
    // Trace settings change only on the admin port; the HTTP port is that port when there is no
    // separate one. gRPC follows the same rule (see TraceSettingService).
    new TraceRoutes(traceSettings, !separateAdmin).mount(router);
    statsRoutes.accept(router);
    Future<HttpServer> http = listen(router, ports.http(), "http");

    HttpServerOptions grpcOptions = new HttpServerOptions().setHttp2ClearTextEnabled(true);
    GrpcServer grpcServer = new PaddleGrpcGateway(serviceName, maxBodyBytes, gate).create(vertx);
    new TraceSettingService(traceSettings, !separateAdmin).mount(grpcServer);
    new OipGrpcService(inference, ServerMetadata.current(), maxBodyBytes).mount(grpcServer);
    Future<HttpServer> grpc =
        vertx
            .createHttpServer(grpcOptions)
            .requestHandler(grpcServer)
            .listen(ports.grpc(), host)
            .recover(e -> Future.failedFuture(bindError("grpcPort", ports.grpc(), e)));

    List<Future<HttpServer>> all = new ArrayList<>(List.of(http, grpc));
    if (separateAdmin) {
      Router admin = Router.router(vertx);
      HealthRoutes.mount(admin, gate);
      new TraceRoutes(traceSettings, true).mount(admin);
      statsRoutes.accept(admin);
      all.add(listen(admin, ports.admin(), "admin"));
    }
    return Future.all(all)
        .onSuccess(
            done ->
                bound =
                    new Ports(
                        http.result().actualPort(),
                        grpc.result().actualPort(),
                        separateAdmin
                            ? all.get(2).result().actualPort()
                            : http.result().actualPort()));
  }

  /** The ports this instance is bound to; valid once started. */
  Ports bound() {
    return bound;
  }

  private Future<HttpServer> listen(Router router, int port, String what) {
    String field = what.equals("http") ? "httpPort" : "adminPort";
    return vertx
        .createHttpServer(new HttpServerOptions())
        .requestHandler(router)
        .listen(port, host)
        .recover(e -> Future.failedFuture(bindError(field, port, e)));
  }

  private IllegalStateException bindError(String field, int port, Throwable cause) {
    return new IllegalStateException(
        "cannot listen on "
            + host
            + ":"
            + port
            + " (server."
            + field
            + "): "
            + cause.getMessage()
            + "; free the port or choose another",
        cause);
  }
}
