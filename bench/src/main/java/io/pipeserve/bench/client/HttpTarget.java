package io.pipeserve.bench.client;

import io.pipeserve.bench.load.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.function.Supplier;

/**
 * Paddle's HTTP API: the same JSON body POSTed to one URL over HTTP/1.1 keep-alive connections.
 * Success is status 200 with err_no 0 (or no err_no, for a server that is not Paddle's).
 */
public record HttpTarget(URI url, Buffer body) implements Target {
  public HttpTarget {
    if (!"http".equals(url.getScheme()) || url.getHost() == null) {
      throw new IllegalArgumentException(
          "--url must be http://HOST:PORT/PATH (HTTP/1.1, no TLS), got " + url);
    }
  }

  @Override
  public String protocol() {
    return "http";
  }

  @Override
  public String address() {
    return url.toString();
  }

  @Override
  public Transport open(Vertx vertx, int maxInFlight) {
    return open(vertx, maxInFlight, url, () -> body);
  }

  /** A transport to {@code url} that sends the body {@code bodies} gives for each request. */
  static Transport open(Vertx vertx, int maxInFlight, URI url, Supplier<Buffer> bodies) {
    // One connection per request in flight: HTTP/1.1 without pipelining carries one at a time,
    // and a wait queue in the pool would add client-side latency the server did not cause.
    HttpClientAgent client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setPipelining(false).setTcpNoDelay(true),
            new PoolOptions().setHttp1MaxSize(maxInFlight));
    int port = url.getPort() > 0 ? url.getPort() : 80;
    String path = url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    if (url.getRawQuery() != null) {
      path += "?" + url.getRawQuery();
    }
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost(url.getHost())
            .setPort(port)
            .setURI(path)
            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    return new Transport() {
      @Override
      public Future<Outcome> send() {
        return client
            .request(options)
            .compose(request -> request.send(bodies.get()))
            .compose(response -> response.body().map(b -> outcome(response.statusCode(), b)))
            .otherwise(Outcome::io);
      }

      @Override
      public Future<Void> close() {
        return client.close();
      }
    };
  }

  static Outcome outcome(int status, Buffer body) {
    int errNo = ErrNo.fromJson(body);
    if (status == 200 && (errNo == 0 || errNo == ErrNo.ABSENT)) {
      return Outcome.OK;
    }
    return Outcome.error("http " + status + (errNo == ErrNo.ABSENT ? "" : " err_no " + errNo));
  }
}
