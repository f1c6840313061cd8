package io.pipeserve.runtime.gateway.oip.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.pipeserve.proto.inference.ModelInferRequest;
import io.pipeserve.proto.inference.ModelMetadataRequest;
import io.pipeserve.proto.inference.ModelMetadataResponse;
import io.pipeserve.proto.inference.ModelReadyRequest;
import io.pipeserve.proto.inference.ModelReadyResponse;
import io.pipeserve.proto.inference.ModelStreamInferResponse;
import io.pipeserve.proto.inference.ServerLiveRequest;
import io.pipeserve.proto.inference.ServerLiveResponse;
import io.pipeserve.proto.inference.ServerMetadataRequest;
import io.pipeserve.proto.inference.ServerMetadataResponse;
import io.pipeserve.proto.inference.ServerReadyRequest;
import io.pipeserve.proto.inference.ServerReadyResponse;
import io.pipeserve.runtime.gateway.oip.InferRequest;
import io.pipeserve.runtime.gateway.oip.Inference;
import io.pipeserve.runtime.gateway.oip.Models;
import io.pipeserve.runtime.gateway.oip.OipError;
import io.pipeserve.runtime.gateway.oip.ServedModel;
import io.pipeserve.runtime.gateway.oip.ServerMetadata;
import io.pipeserve.runtime.gateway.oip.TensorMetadata;
import io.pipeserve.runtime.trace.RequestTracer;
import io.pipeserve.runtime.trace.file.TimestampNames;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.InvalidMessageException;
import io.vertx.grpc.common.MessageSizeOverflowException;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.List;
import java.util.function.Function;

/**
 * The Open Inference Protocol over gRPC: {@code inference.GRPCInferenceService} (health, metadata,
 * ModelInfer, ModelStreamInfer), served beside TraceSetting on the gRPC port. Errors end a call
 * with the gRPC status of {@link OipError.Status} and a message naming the problem; on a stream
 * they are answers carrying {@code error_message} and the request's id, and the stream stays open.
 */
public final class OipGrpcService {
  static final ServiceName SERVICE = ServiceName.create("inference", "GRPCInferenceService");

  private static final String TRACEPARENT = "traceparent";
  private static final String TRACESTATE = "tracestate";

  private final Inference inference;
  private final ServerMetadata server;
  private final long maxMessageBytes;

  /**
   * @param maxMessageBytes the message size limit of the server it is mounted on, for errors
   */
  public OipGrpcService(Inference inference, ServerMetadata server, long maxMessageBytes) {
    this.inference = inference;
    this.server = server;
    this.maxMessageBytes = maxMessageBytes;
  }

  /** Serves the service's calls on {@code grpc}, beside its other services. */
  public void mount(GrpcServer grpc) {
    unary(
        grpc,
        "ServerLive",
        ServerLiveRequest.parser(),
        r -> ServerLiveResponse.newBuilder().setLive(true).build());
    unary(
        grpc,
        "ServerReady",
        ServerReadyRequest.parser(),
        r -> ServerReadyResponse.newBuilder().setReady(inference.isReady()).build());
    unary(grpc, "ServerMetadata", ServerMetadataRequest.parser(), r -> serverMetadata());
    unary(
        grpc,
        "ModelReady",
        ModelReadyRequest.parser(),
        r -> {
          inference.models().resolve(r.getName(), r.getVersion());
          return ModelReadyResponse.newBuilder().setReady(inference.isReady()).build();
        });
    unary(
        grpc,
        "ModelMetadata",
        ModelMetadataRequest.parser(),
        r -> modelMetadata(inference.models().resolve(r.getName(), r.getVersion())));
    grpc.callHandler(bytesMethod("ModelInfer"), this::modelInfer);
    grpc.callHandler(bytesMethod("ModelStreamInfer"), this::modelStreamInfer);
  }

  // Requests arrive as bytes and are parsed here: a malformed message must end the call with
  // INVALID_ARGUMENT naming the problem, where the stock decoder would cancel the stream.
  private static <Resp extends Message> ServiceMethod<Buffer, Resp> method(String name) {
    return ServiceMethod.server(
        SERVICE, name, GrpcMessageEncoder.encoder(), GrpcMessageDecoder.IDENTITY);
  }

  /** The inference calls answer wire bytes too: their raw tensors are appended, not copied in. */
  private static ServiceMethod<Buffer, Buffer> bytesMethod(String name) {
    return ServiceMethod.server(
        SERVICE, name, GrpcMessageEncoder.IDENTITY, GrpcMessageDecoder.IDENTITY);
  }

  private <Req, Resp extends Message> void unary(
      GrpcServer grpc, String name, Parser<Req> parser, Function<Req, Resp> answer) {
    grpc.callHandler(
        OipGrpcService.<Resp>method(name),
        call -> {
          call.invalidMessageHandler(e -> fail(call.response(), invalidMessage(e)));
          call.handler(
              bytes -> {
                GrpcServerResponse<Buffer, Resp> response = call.response();
                try {
                  response.end(answer.apply(parse(parser, bytes)));
                } catch (OipError e) {
                  fail(response, e);
                }
              });
        });
  }

  private void modelInfer(GrpcServerRequest<Buffer, Buffer> call) {
    long waitReadStart = System.nanoTime();
    GrpcServerResponse<Buffer, Buffer> response = call.response();
    boolean[] cancelled = cancellation(call);
    call.invalidMessageHandler(e -> fail(response, invalidMessage(e)));
    call.handler(
        bytes -> {
          ModelInferRequest message;
          InferRequest request;
          try {
            message = parse(ModelInferRequest.parser(), bytes);
            request = InferMessages.request(message);
          } catch (OipError e) {
            fail(response, e);
            return;
          }
          RequestTracer trace = trace(call, request, waitReadStart);
          // The client's deadline, as the time left when the call arrived (0 when it set none).
          infer(request, message, call.timeout(), trace)
              .onComplete(
                  done -> {
                    if (cancelled[0]) {
                      finish(trace, Future.succeededFuture());
                      return;
                    }
                    sending(trace);
                    Future<Void> sent =
                        done.succeeded()
                            ? response.end(
                                WireBytes.modelInfer(done.result().header(), done.result().raw()))
                            : fail(response, OipError.of(done.cause()));
                    finish(trace, sent);
                  });
        });
  }

  /**
   * Many requests in flight on one stream: each is answered when it completes, in any order, its
   * answer carrying its id. The stream ends once the client has ended its side and every request is
   * answered. A client writing faster than the answers can be sent is paused.
   */
  private void modelStreamInfer(GrpcServerRequest<Buffer, Buffer> call) {
    GrpcServerResponse<Buffer, Buffer> response = call.response();
    // Touched only on this call's event loop: every handler and completion runs there.
    int[] pending = {0};
    boolean[] clientDone = {false};
    boolean[] cancelled = cancellation(call);
    Runnable endIfDone =
        () -> {
          if (clientDone[0] && pending[0] == 0 && !cancelled[0]) {
            response.end();
          }
        };
    call.invalidMessageHandler(
        e -> write(call, streamError(invalidMessage(e), ModelInferRequest.getDefaultInstance())));
    call.handler(
        bytes -> {
          long waitReadStart = System.nanoTime();
          ModelInferRequest message;
          try {
            message = parse(ModelInferRequest.parser(), bytes);
          } catch (OipError e) {
            write(call, streamError(e, ModelInferRequest.getDefaultInstance()));
            return;
          }
          InferRequest request;
          try {
            request = InferMessages.request(message);
          } catch (OipError e) {
            write(call, streamError(e, message));
            return;
          }
          RequestTracer trace = trace(call, request, waitReadStart);
          pending[0]++;
          infer(request, message, 0, trace)
              .onComplete(
                  done -> {
                    pending[0]--;
                    if (cancelled[0]) {
                      finish(trace, Future.succeededFuture());
                      return;
                    }
                    Buffer answer =
                        done.succeeded()
                            ? WireBytes.streamInfer(done.result().header(), done.result().raw())
                            : streamError(OipError.of(done.cause()), message);
                    sending(trace);
                    finish(trace, write(call, answer));
                    endIfDone.run();
                  });
        });
    call.endHandler(
        v -> {
          clientDone[0] = true;
          endIfDone.run();
        });
  }

  /**
   * A flag raised when the client cancels the call (or its deadline passes): there is then nobody
   * to answer, and writing would fail.
   */
  private static boolean[] cancellation(GrpcServerRequest<?, ?> call) {
    boolean[] cancelled = {false};
    call.errorHandler(error -> cancelled[0] = true);
    return cancelled;
  }

  private Future<InferMessages.Answer> infer(
      InferRequest request, ModelInferRequest message, long timeoutMs, RequestTracer trace) {
    boolean raw = message.getRawInputContentsCount() > 0;
    Context context = Vertx.currentContext();
    // With the call's context: the answer is written on its event loop, not on the worker thread
    // that completed the request.
    return Future.fromCompletionStage(inference.infer(request, timeoutMs, trace), context)
        .map(answer -> InferMessages.response(answer, raw));
  }

  private RequestTracer trace(GrpcServerRequest<?, ?> call, InferRequest request, long start) {
    RequestTracer trace =
        inference.trace(
            call.headers().get(TRACEPARENT), call.headers().get(TRACESTATE), request.id());
    if (trace != null) {
      trace.timestamp(TimestampNames.GRPC_WAITREAD_START, start);
      trace.timestamp(TimestampNames.GRPC_WAITREAD_END);
    }
    return trace;
  }

  private static void sending(RequestTracer trace) {
    if (trace != null) {
      trace.timestamp(TimestampNames.GRPC_SEND_START);
    }
  }

  private static void finish(RequestTracer trace, Future<Void> sent) {
    if (trace != null) {
      sent.onComplete(
          done -> {
            trace.timestamp(TimestampNames.GRPC_SEND_END);
            trace.finish();
          });
    }
  }

  private static Future<Void> write(GrpcServerRequest<Buffer, Buffer> call, Buffer answer) {
    GrpcServerResponse<Buffer, Buffer> response = call.response();
    Future<Void> written = response.write(answer);
    if (response.writeQueueFull()) {
      call.pause();
      response.drainHandler(v -> call.resume());
    }
    return written;
  }

  /** An error answer on the stream, naming the request it answers (as far as it was read). */
  private static Buffer streamError(OipError e, ModelInferRequest request) {
    ModelStreamInferResponse.Builder answer =
        ModelStreamInferResponse.newBuilder().setErrorMessage(e.getMessage());
    answer
        .getInferResponseBuilder()
        .setModelName(request.getModelName())
        .setModelVersion(request.getModelVersion())
        .setId(request.getId());
    return WireBytes.of(answer.build());
  }

  private ServerMetadataResponse serverMetadata() {
    return ServerMetadataResponse.newBuilder()
        .setName(server.name())
        .setVersion(server.version())
        .addAllExtensions(server.extensions())
        .build();
  }

  private static ModelMetadataResponse modelMetadata(ServedModel model) {
    return ModelMetadataResponse.newBuilder()
        .setName(model.name())
        .addVersions(Models.VERSION)
        .setPlatform(model.platform())
        .addAllInputs(tensors(model.inputs()))
        .addAllOutputs(tensors(model.outputs()))
        .build();
  }

  private static List<ModelMetadataResponse.TensorMetadata> tensors(List<TensorMetadata> list) {
    return list.stream()
        .map(
            t ->
                ModelMetadataResponse.TensorMetadata.newBuilder()
                    .setName(t.name())
                    .setDatatype(t.datatype().name())
                    .addAllShape(t.shape())
                    .build())
        .toList();
  }

  private static <T> T parse(Parser<T> parser, Buffer bytes) {
    try {
      return WireBytes.parse(parser, bytes);
    } catch (InvalidProtocolBufferException e) {
      throw OipError.invalid("the request is not a valid protobuf message: " + e.getMessage());
    }
  }

  private OipError invalidMessage(InvalidMessageException e) {
    if (e instanceof MessageSizeOverflowException) {
      return new OipError(
          OipError.Status.TOO_LARGE,
          "the request message is larger than server.maxBodyBytes (" + maxMessageBytes + " bytes)");
    }
    return OipError.invalid("the request message cannot be read: " + e.getMessage());
  }

  private static Future<Void> fail(GrpcServerResponse<?, ?> response, OipError e) {
    return response
        .status(GrpcStatus.valueOf(e.status().grpc()))
        .statusMessage(e.getMessage())
        .end();
  }
}
