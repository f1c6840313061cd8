package io.pipeserve.bench.client;

import com.google.protobuf.ByteString;
import io.pipeserve.bench.load.Outcome;
import io.pipeserve.proto.inference.ModelInferRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientOptions;
import io.vertx.grpc.client.GrpcClientResponse;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Open Inference Protocol's {@code inference.GRPCInferenceService/ModelInfer}, with tensors in
 * {@code raw_input_contents} as Triton's clients send them. The request is serialized once and sent
 * as bytes, so the generator spends no CPU re-encoding it; answers are read as bytes too.
 */
public record OipGrpcTarget(SocketAddress server, ModelInferRequest request) implements Target {
  public static final ServiceName SERVICE = ServiceName.create("inference", "GRPCInferenceService");

  /** {@code ModelInfer}, carrying serialized messages. */
  public static final ServiceMethod<Buffer, Buffer> MODEL_INFER =
      ServiceMethod.client(
          SERVICE, "ModelInfer", GrpcMessageEncoder.IDENTITY, GrpcMessageDecoder.IDENTITY);

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

  private static final long MAX_MESSAGE_BYTES = 64L * 1024 * 1024;
  private static final int WINDOW_BYTES = 1 << 20;

  /**
   * A request for {@code model} with one FP32 input of {@code bytes} bytes (shape [1, bytes/4]),
   * all zeros: the values do not matter to what it costs to serve.
   */
  public static ModelInferRequest fp32(String model, String input, int bytes) {
    int floats = bytes / 4;
    return ModelInferRequest.newBuilder()
        .setModelName(model)
        .addInputs(
            ModelInferRequest.InferInputTensor.newBuilder()
                .setName(input)
                .setDatatype("FP32")
                .addShape(1)
                .addShape(floats))
        .addRawInputContents(
            ByteString.copyFrom(ByteBuffer.allocate(floats * 4).order(ByteOrder.LITTLE_ENDIAN)))
        .build();
  }

  @Override
  public String protocol() {
    return "oip grpc";
  }

  @Override
  public String address() {
    return server.host() + ":" + server.port();
  }

  /**
   * {@inheritDoc}
   *
   * <p>One HTTP/2 connection carries the calls, as grpc-java's does (servers allow 100 streams on
   * one by default; more calls wait for a stream).
   */
  @Override
  public Transport open(Vertx vertx, int maxInFlight) {
    GrpcClient client = client(vertx);
    Buffer bytes = Buffer.buffer(request.toByteArray());
    return new Transport() {
      @Override
      public Future<Outcome> send() {
        return client
            .request(server, MODEL_INFER)
            .compose(call -> call.send(bytes))
            .compose(OipGrpcTarget::outcome)
            .otherwise(Outcome::io);
      }

      @Override
      public Future<Void> close() {
        return client.close();
      }
    };
  }

  /**
   * The serialized answer of the target to its request, so a baseline can answer the very same
   * bytes.
   *
   * @throws IllegalStateException when the call does not end OK
   */
  public static Buffer probe(OipGrpcTarget target) {
    Vertx vertx = Vertx.vertx();
    try {
      GrpcClient client = client(vertx);
      Future<Buffer> answer =
          client
              .request(target.server(), MODEL_INFER)
              .compose(call -> call.send(Buffer.buffer(target.request().toByteArray())))
              .compose(
                  response ->
                      response
                          .last()
                          .transform(
                              last -> {
                                if (response.status() != GrpcStatus.OK || last.failed()) {
                                  return Future.failedFuture(
                                      new IllegalStateException(
                                          target.address()
                                              + " answered "
                                              + response.status()
                                              + ": "
                                              + response.statusMessage()));
                                }
                                return Future.succeededFuture(last.result());
                              }));
      return answer.await(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          target.address() + " did not answer within " + PROBE_TIMEOUT, e);
    } finally {
      vertx.close();
    }
  }

  // Answers carry the tensors back: Vert.x's default limit (256 KiB) would refuse large ones.
  private static GrpcClient client(Vertx vertx) {
    return GrpcClient.client(
        vertx,
        new GrpcClientOptions().setMaxMessageSize(MAX_MESSAGE_BYTES),
        new HttpClientOptions()
            .setProtocolVersion(HttpVersion.HTTP_2)
            .setHttp2ClearTextUpgrade(false)
            .setTcpNoDelay(true)
            // grpc-java's receive window: a large answer is not held up by window updates.
            .setInitialSettings(new Http2Settings().setInitialWindowSize(WINDOW_BYTES))
            .setHttp2ConnectionWindowSize(WINDOW_BYTES));
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
                return Future.succeededFuture(Outcome.error("grpc " + status.name()));
              }
              return Future.succeededFuture(
                  last.succeeded() ? Outcome.OK : Outcome.io(last.cause()));
            });
  }
}
