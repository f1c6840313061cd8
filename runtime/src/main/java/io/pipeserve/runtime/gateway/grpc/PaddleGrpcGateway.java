package io.pipeserve.runtime.gateway.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.pipeserve.proto.paddle.Request;
import io.pipeserve.proto.paddle.Response;
import io.pipeserve.runtime.error.ErrorCode;
import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.gateway.Failures;
import io.pipeserve.runtime.gateway.PaddleCodec;
import io.pipeserve.runtime.gateway.PaddleWire;
import io.pipeserve.runtime.gateway.RequestGate;
import io.pipeserve.runtime.trace.RequestTracer;
import io.pipeserve.runtime.trace.file.TimestampNames;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;

/**
 * Paddle's gRPC service {@code baidu.paddle_serving.pipeline_serving.PipelineService/inference}.
 * Framework errors end the call with the gRPC status of their code, a message naming the problem
 * and the Paddle err_no in the {@value #ERR_NO_TRAILER} trailer; product errors end it OK with
 * err_no in the Response, as Paddle does.
 */
public final class PaddleGrpcGateway {
  /** Trailer carrying the Paddle err_no of a failed call. */
  public static final String ERR_NO_TRAILER = "pipeserve-err-no";

  private static final String TRACEPARENT = "traceparent";
  private static final String TRACESTATE = "tracestate";

  // Requests arrive as raw bytes and are parsed here: a malformed message must end the call with
  // INVALID_ARGUMENT naming the problem, where the stock decoder would cancel the stream.
  static final ServiceMethod<Buffer, Response> INFERENCE =
      ServiceMethod.server(
          ServiceName.create("baidu.paddle_serving.pipeline_serving", "PipelineService"),
          "inference",
          GrpcMessageEncoder.encoder(),
          GrpcMessageDecoder.IDENTITY);

  private final String serviceName;
  private final long maxMessageBytes;
  private final RequestGate gate;

  public PaddleGrpcGateway(String serviceName, long maxMessageBytes, RequestGate gate) {
    this.serviceName = serviceName;
    this.maxMessageBytes = maxMessageBytes;
    this.gate = gate;
  }

  /** A request handler for an HTTP/2 server. */
  public GrpcServer create(Vertx vertx) {
    GrpcServer server =
        GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(maxMessageBytes));
    server.callHandler(INFERENCE, this::infer);
    return server;
  }

  private void infer(GrpcServerRequest<Buffer, Response> call) {
    long waitReadStart = System.nanoTime();
    // Refused before the message is read: under overload a refusal costs no parse.
    PipelineException refusal = gate.refusal();
    if (refusal != null) {
      fail(call.response(), refusal);
      return;
    }
    call.handler(
        bytes -> {
          PaddleWire.Parsed request;
          try {
            request = PaddleWire.parse(bytes.getBytes());
          } catch (InvalidProtocolBufferException e) {
            fail(
                call.response(),
                new PipelineException(
                    ErrorCode.RPC_PACKAGE_ERROR,
                    "the request is not a valid "
                        + Request.getDescriptor().getFullName()
                        + " message: "
                        + e.getMessage()));
            return;
          }
          handle(call, request, waitReadStart);
        });
  }

  private void handle(
      GrpcServerRequest<Buffer, Response> call, PaddleWire.Parsed parsed, long waitReadStart) {
    GrpcServerResponse<Buffer, Response> response = call.response();
    Request request = parsed.request();
    long logId = request.getLogid();
    // Paddle's own check: a client may name the service it means to reach.
    if (!request.getName().isEmpty() && !request.getName().equals(serviceName)) {
      fail(
          response,
          new PipelineException(
              ErrorCode.NO_SERVICE,
              "no service '"
                  + request.getName()
                  + "' here; this server serves '"
                  + serviceName
                  + "'"));
      return;
    }
    try {
      // The client's deadline, as the time left when the call arrived (0 when it set none).
      long timeoutMs = call.timeout();
      RequestTracer trace =
          gate.trace(call.headers().get(TRACEPARENT), call.headers().get(TRACESTATE), logId);
      if (trace != null) {
        trace.timestamp(TimestampNames.GRPC_WAITREAD_START, waitReadStart);
        trace.timestamp(TimestampNames.GRPC_WAITREAD_END);
      }
      Future.fromCompletionStage(
              gate.submit(logId, PaddleCodec.toFields(parsed), timeoutMs, trace),
              Vertx.currentContext())
          .onComplete(
              result -> {
                if (trace != null) {
                  trace.timestamp(TimestampNames.GRPC_SEND_START);
                }
                Future<Void> sent;
                try {
                  if (result.failed()) {
                    throw Failures.of(result.cause(), logId);
                  }
                  sent = response.end(PaddleCodec.toResponse(result.result()));
                } catch (PipelineException e) {
                  sent = fail(response, e);
                }
                if (trace != null) {
                  sent.onComplete(
                      done -> {
                        trace.timestamp(TimestampNames.GRPC_SEND_END);
                        trace.finish();
                      });
                }
              });
    } catch (PipelineException e) {
      fail(response, e);
    }
  }

  private static Future<Void> fail(
      GrpcServerResponse<Buffer, Response> response, PipelineException e) {
    if (e.isProductError()) {
      return response.end(PaddleCodec.errorResponse(e));
    }
    response.trailers().set(ERR_NO_TRAILER, Integer.toString(e.errNo()));
    return response
        .status(GrpcStatus.valueOf(e.code().grpcStatus()))
        .statusMessage(e.getMessage())
        .end();
  }
}
