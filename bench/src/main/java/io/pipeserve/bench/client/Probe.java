package io.pipeserve.bench.client;

import io.pipeserve.proto.paddle.Request;
import io.pipeserve.proto.paddle.Response;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends one request and returns the answer as it came, so a baseline can answer the very same
 * bytes. Fails when the target does not answer successfully: a baseline of an error page would make
 * every ratio meaningless.
 */
public final class Probe {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static final ServiceMethod<Response, Request> INFERENCE =
      ServiceMethod.client(
          GrpcTarget.SERVICE,
          "inference",
          GrpcMessageEncoder.encoder(),
          GrpcMessageDecoder.decoder(Response.newBuilder()));

  private Probe() {}

  /** The body of the target's answer to its request. */
  public static Buffer http(HttpTarget target) {
    Vertx vertx = Vertx.vertx();
    try {
      HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions());
      String path = target.url().getRawPath().isEmpty() ? "/" : target.url().getRawPath();
      RequestOptions options =
          new RequestOptions()
              .setMethod(HttpMethod.POST)
              .setHost(target.url().getHost())
              .setPort(target.url().getPort() > 0 ? target.url().getPort() : 80)
              .setURI(path)
              .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
      Future<Buffer> answer =
          client
              .request(options)
              .compose(r -> r.send(target.body()))
              .compose(
                  r ->
                      r.body()
                          .compose(
                              body -> {
                                if (HttpTarget.outcome(r.statusCode(), body).isOk()) {
                                  return Future.succeededFuture(body);
                                }
                                return Future.failedFuture(
                                    new IllegalStateException(
                                        target.address()
                                            + " answered "
                                            + r.statusCode()
                                            + ": "
                                            + body));
                              }));
      return await(answer, target.address());
    } finally {
      vertx.close();
    }
  }

  /** The target's answer to its request. */
  public static Response grpc(GrpcTarget target) {
    Vertx vertx = Vertx.vertx();
    try {
      GrpcClient client =
          GrpcClient.client(
              vertx,
              new HttpClientOptions()
                  .setProtocolVersion(HttpVersion.HTTP_2)
                  .setHttp2ClearTextUpgrade(false));
      Future<Response> answer =
          client
              .request(target.server(), INFERENCE)
              .compose(call -> call.send(target.request()))
              .compose(r -> r.last());
      Response response = await(answer, target.address());
      if (response.getErrNo() != 0) {
        throw new IllegalStateException(
            target.address()
                + " answered err_no "
                + response.getErrNo()
                + ": "
                + response.getErrMsg());
      }
      return response;
    } finally {
      vertx.close();
    }
  }

  private static <T> T await(Future<T> f, String address) {
    try {
      return f.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(address + " did not answer within " + TIMEOUT, e);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "probe request to " + address + " failed: " + e.getMessage(), e);
    }
  }
}
