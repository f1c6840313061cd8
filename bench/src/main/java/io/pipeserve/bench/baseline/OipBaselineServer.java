package io.pipeserve.bench.baseline;

import io.pipeserve.bench.client.OipGrpcTarget;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The baseline of the Open Inference Protocol runs, as {@link BaselineServer} is of the Paddle
 * ones: a bare Vert.x gRPC handler for {@code ModelInfer} that reads the request message and
 * answers fixed bytes (the pipeline's own answer, captured), with no parsing and no pipeline. Both
 * sides move the same bytes, so the difference is what the gateway and the pipeline cost.
 */
public final class OipBaselineServer implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private static final ServiceMethod<Buffer, Buffer> MODEL_INFER =
      ServiceMethod.server(
          OipGrpcTarget.SERVICE,
          "ModelInfer",
          GrpcMessageEncoder.IDENTITY,
          GrpcMessageDecoder.IDENTITY);

  private final Vertx vertx;
  private final int port;

  private OipBaselineServer(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
  }

  /**
   * Starts on loopback with one handler per event loop, as the pipeline server runs.
   *
   * @param answer the serialized ModelInferResponse every call gets
   * @param maxMessageBytes the largest request accepted (the pipeline's server.maxBodyBytes)
   */
  public static OipBaselineServer start(Buffer answer, long maxMessageBytes) {
    int eventLoops = Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
    try {
      int port = freePort();
      for (int i = 0; i < eventLoops; i++) {
        vertx
            .deployVerticle(new Handler(port, answer, maxMessageBytes))
            .await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
      return new OipBaselineServer(vertx, port);
    } catch (TimeoutException e) {
      vertx.close().await();
      throw new IllegalStateException("OIP baseline server: no start within " + START_TIMEOUT, e);
    } catch (RuntimeException e) {
      vertx.close().await(); // its event loops are not daemons
      throw e;
    }
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    vertx.close().await();
  }

  // A concrete port shared by every instance: Vert.x balances connections over them.
  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port: " + e.getMessage(), e);
    }
  }

  private static final class Handler extends VerticleBase {
    private final int port;
    private final Buffer answer;
    private final long maxMessageBytes;

    Handler(int port, Buffer answer, long maxMessageBytes) {
      this.port = port;
      this.answer = answer;
      this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public Future<?> start() {
      GrpcServer grpc =
          GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(maxMessageBytes));
      grpc.callHandler(MODEL_INFER, call -> call.handler(request -> call.response().end(answer)));
      Future<HttpServer> server =
          vertx
              .createHttpServer(
                  new HttpServerOptions().setHttp2ClearTextEnabled(true).setTcpNoDelay(true))
              .requestHandler(grpc)
              .listen(port, "127.0.0.1");
      return server;
    }
  }
}
