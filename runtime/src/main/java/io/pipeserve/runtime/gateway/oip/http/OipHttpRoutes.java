package io.pipeserve.runtime.gateway.oip.http;

import io.pipeserve.runtime.gateway.oip.InferRequest;
import io.pipeserve.runtime.gateway.oip.Inference;
import io.pipeserve.runtime.gateway.oip.OipError;
import io.pipeserve.runtime.gateway.oip.RequestedOutput;
import io.pipeserve.runtime.gateway.oip.ServedModel;
import io.pipeserve.runtime.gateway.oip.ServerMetadata;
import io.pipeserve.runtime.trace.RequestTracer;
import io.pipeserve.runtime.trace.file.TimestampNames;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The Open Inference Protocol's REST API on the HTTP port: server metadata ({@code GET /v2}), model
 * metadata and readiness ({@code GET /v2/models/{m}[/versions/{v}][/ready]}) and inference ({@code
 * POST /v2/models/{m}[/versions/{v}]/infer}) in JSON or with the binary-data extension. Health
 * ({@code /v2/health/*}) is served by {@link io.pipeserve.runtime.gateway.http.HealthRoutes}.
 *
 * <p>Errors answer {@code {"error": "..."}} with the status of {@link OipError.Status}.
 */
public final class OipHttpRoutes {
  /** The binary-data extension's header: the length of the JSON that starts the body. */
  public static final String HEADER_CONTENT_LENGTH = "Inference-Header-Content-Length";

  private static final String RECV_START = "pipeserve.oip.recvStart";
  private static final String TRACE = "pipeserve.oip.trace";
  private static final String TRACEPARENT = "traceparent";
  private static final String TRACESTATE = "tracestate";
  private static final String JSON = "application/json";

  private final Inference inference;
  private final ServerMetadata server;
  private final long maxBodyBytes;

  public OipHttpRoutes(Inference inference, ServerMetadata server, long maxBodyBytes) {
    this.inference = inference;
    this.server = server;
    this.maxBodyBytes = maxBodyBytes;
  }

  public void mount(Router router) {
    router.get("/v2").handler(rc -> send(rc, 200, JSON, JsonResponseWriter.server(server)));
    for (String model : new String[] {"/v2/models/:model", "/v2/models/:model/versions/:version"}) {
      router.get(model).handler(this::metadata);
      router.get(model + "/ready").handler(this::ready);
      // Its own route: Vert.x runs body handlers before any other handler of a route.
      router.post(model + "/infer").handler(OipHttpRoutes::receiving);
      router
          .post(model + "/infer")
          // No uploads: the body is JSON (and binary data), never files to write to disk.
          .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes))
          .handler(this::infer)
          .failureHandler(this::bodyFailure);
    }
  }

  /**
   * Notes when the request arrived, and reads the body as bytes whatever its label: {@code curl -d}
   * labels it a form, which would be decoded into form fields.
   */
  private static void receiving(RoutingContext rc) {
    rc.put(RECV_START, System.nanoTime());
    rc.request().headers().set(HttpHeaders.CONTENT_TYPE, "application/octet-stream");
    rc.next();
  }

  private void metadata(RoutingContext rc) {
    try {
      send(rc, 200, JSON, JsonResponseWriter.model(model(rc)));
    } catch (OipError e) {
      fail(rc, e);
    }
  }

  private void ready(RoutingContext rc) {
    try {
      model(rc);
      rc.response().setStatusCode(inference.isReady() ? 200 : 503).end();
    } catch (OipError e) {
      fail(rc, e);
    }
  }

  private ServedModel model(RoutingContext rc) {
    return inference.models().resolve(rc.pathParam("model"), version(rc));
  }

  private static String version(RoutingContext rc) {
    String version = rc.pathParam("version");
    return version == null ? "" : version;
  }

  private void infer(RoutingContext rc) {
    InferRequest request;
    try {
      model(rc); // an unknown model is answered before its body is read
      request = parse(rc);
    } catch (OipError e) {
      fail(rc, e);
      return;
    }
    RequestTracer trace =
        inference.trace(
            rc.request().getHeader(TRACEPARENT), rc.request().getHeader(TRACESTATE), request.id());
    if (trace != null) {
      trace.timestamp(TimestampNames.HTTP_RECV_START, rc.<Long>get(RECV_START));
      trace.timestamp(TimestampNames.HTTP_RECV_END);
      rc.put(TRACE, trace);
    }
    Future.fromCompletionStage(inference.infer(request, 0, trace), rc.vertx().getOrCreateContext())
        // With a context: the answer is written on this event loop, not the worker that completed.
        .onComplete(
            result -> {
              if (result.failed()) {
                fail(rc, OipError.of(result.cause()));
                return;
              }
              JsonResponseWriter.Body body;
              try {
                body = JsonResponseWriter.infer(result.result(), binaryOutputs(request));
              } catch (RuntimeException e) {
                fail(rc, OipError.of(e));
                return;
              }
              if (body.jsonLength() >= 0) {
                rc.response().putHeader(HEADER_CONTENT_LENGTH, Integer.toString(body.jsonLength()));
                send(rc, 200, "application/octet-stream", body.bytes());
              } else {
                send(rc, 200, JSON, body.bytes());
              }
            });
  }

  private static InferRequest parse(RoutingContext rc) {
    RequestBody requestBody = rc.body();
    Buffer buffer = requestBody == null ? null : requestBody.buffer();
    byte[] body = buffer == null ? new byte[0] : buffer.getBytes();
    String header = rc.request().getHeader(HEADER_CONTENT_LENGTH);
    int headerLength = body.length;
    if (header != null) {
      try {
        headerLength = Integer.parseInt(header.strip());
      } catch (NumberFormatException e) {
        throw OipError.invalid(
            HEADER_CONTENT_LENGTH + " must be a byte count, got '" + header + "'");
      }
      if (headerLength < 0 || headerLength > body.length) {
        throw OipError.invalid(
            HEADER_CONTENT_LENGTH
                + " "
                + headerLength
                + " is beyond the body of "
                + body.length
                + " bytes");
      }
    }
    if (headerLength == 0) {
      throw OipError.invalid(
          "the request body is empty; send a JSON inference request such as"
              + " {\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1],"
              + " \"data\": [1.0]}]}");
    }
    return JsonRequestReader.read(
        rc.pathParam("model"), version(rc), body, headerLength, header != null);
  }

  // An output goes binary when its own binary_data parameter says so, else when the request's
  // binary_data_output does (Triton's rule).
  private static Predicate<String> binaryOutputs(InferRequest request) {
    boolean byDefault = Boolean.TRUE.equals(request.parameters().get(Inference.BINARY_DATA_OUTPUT));
    Map<String, Boolean> asked = new HashMap<>();
    for (RequestedOutput out : request.outputs()) {
      if (out.binary() != null) {
        asked.put(out.name(), out.binary());
      }
    }
    return name -> asked.getOrDefault(name, byDefault);
  }

  // BodyHandler fails the route with 413 before the handler runs: answer in the protocol's form.
  private void bodyFailure(RoutingContext rc) {
    if (rc.statusCode() == 413) {
      fail(
          rc,
          new OipError(
              OipError.Status.TOO_LARGE,
              "the request body is larger than server.maxBodyBytes (" + maxBodyBytes + " bytes)"));
    } else if (rc.failure() != null) {
      fail(rc, OipError.of(rc.failure()));
    } else {
      fail(rc, OipError.invalid("the request failed with HTTP status " + rc.statusCode()));
    }
  }

  private static void fail(RoutingContext rc, OipError error) {
    send(rc, error.status().http(), JSON, JsonResponseWriter.error(error.getMessage()));
  }

  private static void send(RoutingContext rc, int status, String contentType, Buffer body) {
    if (rc.response().ended() || rc.response().closed()) {
      return;
    }
    RequestTracer trace = rc.get(TRACE);
    if (trace != null) {
      trace.timestamp(TimestampNames.HTTP_SEND_START);
    }
    rc.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, contentType)
        .end(body)
        .onComplete(
            sent -> {
              if (trace != null) {
                trace.timestamp(TimestampNames.HTTP_SEND_END);
                trace.finish();
              }
            });
  }
}
