package io.pipeserve.bench.baseline;

import io.pipeserve.bench.client.GrpcTarget;
import io.pipeserve.proto.paddle.Request;
import io.pipeserve.proto.paddle.Response;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The serving-overhead baseline: bare Vert.x handlers that read the request and answer a fixed
 * Paddle response, with no routing, no JSON parsing and no pipeline. A pipeline's figures divided
 * by these, measured by the same client in the same run, give what the pipeline machinery costs.
 *
 * <p>It runs one handler instance per event loop, like the pipeline server, and owns its own Vert.x
 * instance, so it never shares a loop with a load generator in the same JVM.
 */
public final class BaselineServer implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  static final ServiceMethod<Request, Response> INFERENCE =
      ServiceMethod.server(
          GrpcTarget.SERVICE,
          "inference",
          GrpcMessageEncoder.encoder(),
          GrpcMessageDecoder.decoder(Request.newBuilder()));

  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

  private final Vertx vertx;
  private final int httpPort;
  private final int grpcPort;

  private BaselineServer(Vertx vertx, int httpPort, int grpcPort) {
    this.vertx = vertx;
    this.httpPort = httpPort;
    this.grpcPort = grpcPort;
  }

  /** Starts on loopback; port 0 picks a free port. */
  public static BaselineServer start(int httpPort, int grpcPort, BaselineResponse response) {
    return start(
        "127.0.0.1", httpPort, grpcPort, Runtime.getRuntime().availableProcessors(), response);
  }

  public static BaselineServer start(
      String host, int httpPort, int grpcPort, int eventLoops, BaselineResponse response) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
    try {
      // Every instance binds the same concrete ports, which Vert.x shares among the instances and
      // balances connections over. Port 0 is resolved first: Vert.x keys shared servers by the
      // requested port, so instances asking for 0 would not all land on one known port.
      int http = httpPort == 0 ? freePort(host) : httpPort;
      int grpc = grpcPort == 0 ? freePort(host) : grpcPort;
      for (int i = 0; i < eventLoops; i++) {
        await(vertx.deployVerticle(new Handlers(host, http, grpc, response)));
      }
      return new BaselineServer(vertx, http, grpc);
    } catch (RuntimeException e) {
      // Its event loops are not daemons: left open they would keep the JVM alive.
      vertx.close().await();
      throw e;
    }
  }

  public int httpPort() {
    return httpPort;
  }

  public int grpcPort() {
    return grpcPort;
  }

  @Override
  public void close() {
    await(vertx.close());
  }

  private static int freePort(String host) {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + host + ": " + e.getMessage(), e);
    }
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("baseline server: no answer within " + START_TIMEOUT, e);
    }
  }

  /** One event loop's HTTP and gRPC servers. */
  private static final class Handlers extends VerticleBase {
    private final String host;
    private final BaselineResponse response;
    private final int httpPort;
    private final int grpcPort;

    Handlers(String host, int httpPort, int grpcPort, BaselineResponse response) {
      this.host = host;
      this.httpPort = httpPort;
      this.grpcPort = grpcPort;
      this.response = response;
    }

    @Override
    public Future<?> start() {
      Buffer body = response.httpBody();
      String length = Integer.toString(body.length());
      Future<HttpServer> http =
          vertx
              .createHttpServer(new HttpServerOptions().setTcpNoDelay(true))
              .requestHandler(request -> answer(request, body, length))
              .listen(httpPort, host);

      GrpcServer grpcHandler = GrpcServer.server(vertx);
      Response message = response.grpcResponse();
      grpcHandler.callHandler(
          INFERENCE, call -> call.handler(request -> call.response().end(message)));
      Future<HttpServer> grpc =
          vertx
              .createHttpServer(
                  new HttpServerOptions().setHttp2ClearTextEnabled(true).setTcpNoDelay(true))
              .requestHandler(grpcHandler)
              .listen(grpcPort, host);

      return Future.all(http, grpc);
    }

    // The body is read in full before answering, as any real handler must.
    private static void answer(HttpServerRequest request, Buffer body, String length) {
      request
          .body()
          .onComplete(
              read ->
                  request
                      .response()
                      .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                      .putHeader(HttpHeaders.CONTENT_LENGTH, length)
                      .end(body));
    }
  }
}
