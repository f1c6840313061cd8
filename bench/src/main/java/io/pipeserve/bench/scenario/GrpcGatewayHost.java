package io.pipeserve.bench.scenario;

import io.pipeserve.api.ServerSpec;
import io.pipeserve.runtime.executor.Executor;
import io.pipeserve.runtime.gateway.RequestGate;
import io.pipeserve.runtime.gateway.grpc.PaddleGrpcGateway;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

/**
 * The runtime's Paddle gRPC gateway in front of an {@link Executor} the scenario started itself,
 * one gateway per event loop as {@code PipelineServer} deploys it. Needed because {@code
 * PipelineServer} does not expose its executor, whose per-op batch counters the batching scenario
 * reads ({@code Executor.op(name).batches()}).
 */
final class GrpcGatewayHost implements AutoCloseable {
  private final Vertx vertx;
  private final int port;

  private GrpcGatewayHost(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
  }

  static GrpcGatewayHost start(Executor executor) throws Exception {
    ServerSpec server = executor.spec().server();
    int loops =
        server.workers() > 0 ? server.workers() : Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
    RequestGate gate = new RequestGate(executor::submit);
    // One concrete port for every instance: Vert.x shares it among them (see BaselineServer).
    int port = freePort();
    try {
      for (int i = 0; i < loops; i++) {
        vertx
            .deployVerticle(
                new VerticleBase() {
                  @Override
                  public Future<?> start() {
                    return vertx
                        .createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(true))
                        .requestHandler(
                            new PaddleGrpcGateway(server.name(), server.maxBodyBytes(), gate)
                                .create(vertx))
                        .listen(port, "127.0.0.1");
                  }
                })
            .await(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      vertx.close().await(10, TimeUnit.SECONDS);
      throw e;
    }
    return new GrpcGatewayHost(vertx, port);
  }

  int port() {
    return port;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on loopback", e);
    }
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
