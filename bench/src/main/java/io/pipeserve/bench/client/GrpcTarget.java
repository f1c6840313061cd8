package io.pipeserve.bench.client;

import io.pipeserve.bench.load.Outcome;
import io.pipeserve.proto.paddle.Request;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;

/**
 * Paddle's gRPC service {@code PipelineService/inference} over HTTP/2 cleartext. The request is
 * serialized once and sent as bytes, so the generator spends no CPU re-encoding it.
 */
public record GrpcTarget(SocketAddress server, Request request) implements Target {
  /** Where a pipeserve gateway puts the Paddle err_no of a failed call. */
  public static final String ERR_NO_TRAILER = "pipeserve-err-no";

  public static final ServiceName SERVICE =
      ServiceName.create("baidu.paddle_serving.pipeline_serving", "PipelineService");

  private static final ServiceMethod<Buffer, Buffer> INFERENCE =
      ServiceMethod.client(
          SERVICE, "inference", GrpcMessageEncoder.IDENTITY, GrpcMessageDecoder.IDENTITY);

  // HTTP/2 servers commonly allow 100 concurrent streams per connection (Vert.x's default).
  private static final int STREAMS_PER_CONNECTION = 100;

  @Override
  public String protocol() {
    return "grpc";
  }

  @Override
  public String address() {
    return server.host() + ":" + server.port();
  }

  @Override
  public Transport open(Vertx vertx, int maxInFlight) {
    // As grpc-java does, one connection multiplexes the calls; more only past the stream limit.
    int connections = (maxInFlight + STREAMS_PER_CONNECTION - 1) / STREAMS_PER_CONNECTION;
    HttpClient http =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2)
                .setHttp2ClearTextUpgrade(false)
                .setTcpNoDelay(true),
            new PoolOptions().setHttp2MaxSize(connections));
    GrpcClient client = GrpcClient.client(vertx, http);
    Buffer bytes = Buffer.buffer(request.toByteArray());
    return new Transport() {
      @Override
      public Future<Outcome> send() {
        return client
            .request(server, INFERENCE)
            .compose(call -> call.send(bytes))
            .compose(GrpcTarget::outcome)
            .otherwise(Outcome::io);
      }

      @Override
      public Future<Void> close() {
        return client.close().eventually(http::close);
      }
    };
  }

  private static Future<Outcome> outcome(GrpcClientResponse<Buffer, Buffer> response) {
    return response
        .last()
        .transform(
            last -> {
              GrpcStatus status = response.status();
              if (status == null) {
                return Future.succeededFuture(Outcome.io(last.cause()));
              }
              if (status != GrpcStatus.OK) {
                // A call refused before any message is "trailers-only": the trailer arrives in
                // the headers frame.
                String errNo = response.trailers().get(ERR_NO_TRAILER);
                if (errNo == null) {
                  errNo = response.headers().get(ERR_NO_TRAILER);
                }
                return Future.succeededFuture(
                    Outcome.error(
                        "grpc " + status.name() + (errNo == null ? "" : " err_no " + errNo)));
              }
              if (last.failed()) {
                return Future.succeededFuture(Outcome.io(last.cause()));
              }
              int errNo = ErrNo.fromProto(last.result());
              return Future.succeededFuture(
                  errNo == ErrNo.ABSENT || errNo == 0
                      ? Outcome.OK
                      : Outcome.error("grpc OK err_no " + errNo));
            });
  }
}
