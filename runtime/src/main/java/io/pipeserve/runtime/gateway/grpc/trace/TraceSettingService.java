package io.pipeserve.runtime.gateway.grpc.trace;

import com.google.protobuf.InvalidProtocolBufferException;
import io.pipeserve.proto.inference.TraceSettingRequest;
import io.pipeserve.proto.inference.TraceSettingResponse;
import io.pipeserve.runtime.trace.TraceSettingException;
import io.pipeserve.runtime.trace.TraceSettingException.Reason;
import io.pipeserve.runtime.trace.TraceSettings;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Triton's trace extension over gRPC: {@code inference.GRPCInferenceService/TraceSetting}. A
 * request with no settings reads; one with settings changes them (an empty value list clears one)
 * and answers the settings after the change. Errors: INVALID_ARGUMENT (bad value, unknown model, as
 * Triton), UNIMPLEMENTED (a setting fixed at start-up), PERMISSION_DENIED (a change while the
 * server has a separate admin port: see the constructor).
 */
public final class TraceSettingService {
  // Parsed here from raw bytes: a malformed message must end the call with INVALID_ARGUMENT naming
  // the problem, where the stock decoder would cancel the stream.
  static final ServiceMethod<Buffer, TraceSettingResponse> TRACE_SETTING =
      ServiceMethod.server(
          ServiceName.create("inference", "GRPCInferenceService"),
          "TraceSetting",
          GrpcMessageEncoder.encoder(),
          GrpcMessageDecoder.IDENTITY);

  private final TraceSettings settings;
  private final boolean changesAllowed;

  /**
   * @param changesAllowed whether calls may change settings. The gRPC port is public (the
   *     deployment's Service exposes it), so changes are allowed only when the server has no
   *     separate admin port, the same rule as POST on the HTTP port: a deployment that keeps admin
   *     actions off its public ports gets read-only trace settings on gRPC too.
   */
  public TraceSettingService(TraceSettings settings, boolean changesAllowed) {
    this.settings = settings;
    this.changesAllowed = changesAllowed;
  }

  /** Serves TraceSetting on {@code server}, beside its other services. */
  public void mount(GrpcServer server) {
    server.callHandler(TRACE_SETTING, this::call);
  }

  private void call(GrpcServerRequest<Buffer, TraceSettingResponse> call) {
    call.handler(
        bytes -> {
          TraceSettingRequest request;
          try {
            request = TraceSettingRequest.parseFrom(bytes.getBytes());
          } catch (InvalidProtocolBufferException e) {
            end(
                call.response(),
                GrpcStatus.INVALID_ARGUMENT,
                "the request is not a valid inference.TraceSettingRequest: " + e.getMessage());
            return;
          }
          handle(call.response(), request);
        });
  }

  private void handle(
      GrpcServerResponse<Buffer, TraceSettingResponse> response, TraceSettingRequest request) {
    String model = request.getModelName();
    if (request.getSettingsCount() == 0) {
      try {
        response.end(toResponse(settings.view(model)));
      } catch (TraceSettingException e) {
        fail(response, e);
      }
      return;
    }
    if (!changesAllowed) {
      fail(
          response,
          new TraceSettingException(
              Reason.FORBIDDEN,
              "trace settings are read-only over gRPC on this server: changing them is an admin"
                  + " action, served on the admin HTTP port (POST /v2/trace/setting)"));
      return;
    }
    Map<String, List<String>> values = new LinkedHashMap<>();
    request.getSettingsMap().forEach((key, value) -> values.put(key, value.getValueList()));
    // Listeners (the trace-file writer) may touch files on a change: keep it off the event loop.
    Vertx.currentContext()
        .executeBlocking(
            () -> {
              settings.update(model, values);
              return settings.view(model);
            },
            false)
        .onComplete(
            done -> {
              if (done.succeeded()) {
                response.end(toResponse(done.result()));
              } else if (done.cause() instanceof TraceSettingException e) {
                fail(response, e);
              } else {
                end(response, GrpcStatus.INTERNAL, String.valueOf(done.cause().getMessage()));
              }
            });
  }

  private static TraceSettingResponse toResponse(Map<String, List<String>> view) {
    TraceSettingResponse.Builder response = TraceSettingResponse.newBuilder();
    view.forEach(
        (key, values) ->
            response.putSettings(
                key, TraceSettingResponse.SettingValue.newBuilder().addAllValue(values).build()));
    return response.build();
  }

  private static void fail(
      GrpcServerResponse<Buffer, TraceSettingResponse> response, TraceSettingException e) {
    GrpcStatus status =
        switch (e.reason()) {
          case INVALID, UNKNOWN_MODEL -> GrpcStatus.INVALID_ARGUMENT;
          case UNSUPPORTED -> GrpcStatus.UNIMPLEMENTED;
          case FORBIDDEN -> GrpcStatus.PERMISSION_DENIED;
        };
    end(response, status, e.getMessage());
  }

  private static void end(
      GrpcServerResponse<Buffer, TraceSettingResponse> response,
      GrpcStatus status,
      String message) {
    response.status(status).statusMessage(message).end();
  }
}
