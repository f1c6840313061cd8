package io.pipeserve.bench.testing;

import io.pipeserve.bench.client.GrpcTarget;
import io.pipeserve.proto.paddle.Request;
import io.pipeserve.proto.paddle.Response;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.server.GrpcServer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Small misbehaving servers on loopback: they refuse some requests, or never answer. */
public final class TestServers implements AutoCloseable {
  public static final String FULL_BODY =
      "{\"err_no\":3001,\"err_msg\":\"channel full\",\"key\":[],\"value\":[],\"tensors\":[]}";
  public static final String OK_BODY =
      "{\"err_no\":0,\"err_msg\":\"\",\"key\":[\"k\"],\"value\":[\"v\"],\"tensors\":[]}";

  private static final ServiceMethod<Request, Response> INFERENCE =
      ServiceMethod.server(
          GrpcTarget.SERVICE,
          "inference",
          GrpcMessageEncoder.encoder(),
          GrpcMessageDecoder.decoder(Request.newBuilder()));

  private final Vertx vertx = Vertx.vertx();
  private final AtomicLong seen = new AtomicLong();

  /** HTTP requests the servers have read, answered or not. */
  public long requestsSeen() {
    return seen.get();
  }

  /** Answers every {@code n}th request 429 with err_no 3001, the others 200. */
  public int httpRefusingEvery(int n) throws Exception {
    AtomicLong count = new AtomicLong();
    return listen(
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            b -> {
                              seen.incrementAndGet();
                              boolean refuse = count.incrementAndGet() % n == 0;
                              req.response()
                                  .setStatusCode(refuse ? 429 : 200)
                                  .end(refuse ? FULL_BODY : OK_BODY);
                            })));
  }

  /** Reads requests and never answers them. */
  public int httpSilent() throws Exception {
    return listen(
        vertx
            .createHttpServer()
            .requestHandler(req -> req.body().onSuccess(b -> seen.incrementAndGet())));
  }

  /** Ends every {@code n}th call RESOURCE_EXHAUSTED (err_no 3001 in the trailer), the others OK. */
  public int grpcRefusingEvery(int n) throws Exception {
    AtomicLong count = new AtomicLong();
    GrpcServer grpc = GrpcServer.server(vertx);
    grpc.callHandler(
        INFERENCE,
        call ->
            call.handler(
                request -> {
                  if (count.incrementAndGet() % n == 0) {
                    call.response().trailers().set(GrpcTarget.ERR_NO_TRAILER, "3001");
                    call.response().status(GrpcStatus.RESOURCE_EXHAUSTED).end();
                  } else {
                    call.response().end(Response.newBuilder().addKey("k").addValue("v").build());
                  }
                }));
    return listen(
        vertx
            .createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(true))
            .requestHandler(grpc));
  }

  private static int listen(HttpServer server) throws Exception {
    return server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
