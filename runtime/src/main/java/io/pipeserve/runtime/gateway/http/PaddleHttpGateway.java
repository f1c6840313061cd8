package io.pipeserve.runtime.gateway.http;

import io.pipeserve.proto.paddle.Request;
import io.pipeserve.proto.paddle.Response;
import io.pipeserve.runtime.error.ErrorCode;
import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.gateway.Failures;
import io.pipeserve.runtime.gateway.PaddleCodec;
import io.pipeserve.runtime.gateway.RequestGate;
import io.pipeserve.runtime.trace.RequestTracer;
import io.pipeserve.runtime.trace.file.TimestampNames;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Paddle's RESTful API: {@code POST /{name}/{method}} with the JSON form of the pipeline Request,
 * answered with the JSON form of the Response. Framework errors use the HTTP status of their code
 * and still carry a Paddle body; product errors are answered 200 with their err_no, as Paddle does.
 */
public final class PaddleHttpGateway {
  private static final String RECV_START = "pipeserve.recvStart";
  private static final String TRACE = "pipeserve.trace";
  private static final String TRACEPARENT = "traceparent";
  private static final String TRACESTATE = "tracestate";

  private final String serviceName;
  private final long maxBodyBytes;
  private final RequestGate gate;

  public PaddleHttpGateway(String serviceName, long maxBodyBytes, RequestGate gate) {
    this.serviceName = serviceName;
    this.maxBodyBytes = maxBodyBytes;
    this.gate = gate;
  }

  public void mount(Router router) {
    // Its own route: Vert.x runs body handlers before any other handler of a route.
    router.post("/:name/:method").handler(this::arrive);
    router
        .post("/:name/:method")
        // No file uploads: a Paddle body is JSON, and uploads would write to the working directory.
        .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
        .handler(this::infer)
        .failureHandler(this::bodyFailure);
  }

  /**
   * Before the body is read: a request the pipeline would refuse now (full, or draining) is
   * answered at once, so under overload a refusal costs neither reading nor parsing its body. The
   * body is JSON whatever its label: Paddle's own examples use {@code curl -d}, which labels it a
   * form, and decoding it as one would fail on the first long value (an image).
   */
  private void arrive(RoutingContext rc) {
    rc.put(RECV_START, System.nanoTime());
    PipelineException refusal = gate.refusal();
    if (refusal != null) {
      reply(rc, refusal);
      return;
    }
    rc.request().headers().set(HttpHeaders.CONTENT_TYPE, "application/json");
    rc.next();
  }

  private void infer(RoutingContext rc) {
    String name = rc.pathParam("name");
    if (!serviceName.equals(name)) {
      reply(
          rc,
          new PipelineException(
              ErrorCode.NO_SERVICE,
              "no service '"
                  + name
                  + "' here; this server serves '"
                  + serviceName
                  + "' (POST /"
                  + serviceName
                  + "/prediction)"));
      return;
    }
    Request request;
    try {
      request = PaddleJson.parseRequest(rc.body().asString());
      long logId = request.getLogid();
      RequestTracer trace =
          gate.trace(
              rc.request().getHeader(TRACEPARENT), rc.request().getHeader(TRACESTATE), logId);
      if (trace != null) {
        trace.timestamp(TimestampNames.HTTP_RECV_START, rc.<Long>get(RECV_START));
        trace.timestamp(TimestampNames.HTTP_RECV_END);
        rc.put(TRACE, trace);
      }
      Future.fromCompletionStage(
              gate.submit(logId, PaddleCodec.toFields(request), 0, trace),
              rc.vertx().getOrCreateContext())
          // fromCompletionStage with a context: the reply is written on this event loop, not on
          // the executor's worker thread that completed the future.
          .onComplete(
              result -> {
                try {
                  if (result.failed()) {
                    throw Failures.of(result.cause(), logId);
                  }
                  send(rc, 200, PaddleCodec.toResponse(result.result()));
                } catch (PipelineException e) {
                  reply(rc, e);
                }
              });
    } catch (PipelineException e) {
      reply(rc, e);
    }
  }

  // BodyHandler fails the route with 413 before our handler runs; answer in Paddle's form too.
  private void bodyFailure(RoutingContext rc) {
    if (rc.statusCode() == 413) {
      send(
          rc,
          413,
          PaddleCodec.errorResponse(
              ErrorCode.INPUT_PARAMS_ERROR.errNo(),
              "the request body is larger than server.maxBodyBytes (" + maxBodyBytes + " bytes)"));
    } else if (rc.failure() != null) {
      reply(rc, Failures.of(rc.failure(), 0));
    } else {
      send(
          rc,
          rc.statusCode(),
          PaddleCodec.errorResponse(
              ErrorCode.INPUT_PARAMS_ERROR.errNo(), "the request failed with " + rc.statusCode()));
    }
  }

  private static void reply(RoutingContext rc, PipelineException error) {
    int status = error.isProductError() ? 200 : error.code().httpStatus();
    send(rc, status, PaddleCodec.errorResponse(error));
  }

  private static void send(RoutingContext rc, int status, Response response) {
    if (rc.response().ended() || rc.response().closed()) {
      return;
    }
    String json;
    try {
      json = PaddleJson.print(response);
    } catch (RuntimeException e) {
      status = 500;
      json = PaddleJson.print(PaddleCodec.errorResponse(Failures.of(e, 0)));
    }
    RequestTracer trace = rc.get(TRACE);
    if (trace != null) {
      trace.timestamp(TimestampNames.HTTP_SEND_START);
    }
    rc.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(json)
        .onComplete(
            sent -> {
              if (trace != null) {
                trace.timestamp(TimestampNames.HTTP_SEND_END);
                trace.finish();
              }
            });
  }
}
