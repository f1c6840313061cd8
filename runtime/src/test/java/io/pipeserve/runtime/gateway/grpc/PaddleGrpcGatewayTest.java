package io.pipeserve.runtime.gateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.pipeserve.proto.paddle.PipelineServiceGrpc;
import io.pipeserve.proto.paddle.Request;
import io.pipeserve.proto.paddle.Response;
import io.pipeserve.proto.paddle.Tensor;
import io.pipeserve.runtime.server.PipelineServer;
import io.pipeserve.runtime.testing.Specs;
import io.pipeserve.runtime.testing.TestOps;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gRPC gateway in front of the real executor, running one op steered by the request. */
class PaddleGrpcGatewayTest {
  private static final long DAG_TIMEOUT_MS = 1500;
  // Concurrency 4: a request past its deadline leaves its worker asleep until the op returns.
  private static final String SPEC =
      """
      server: {name: ocr, httpPort: 0, grpcPort: 0, workers: 2, maxBodyBytes: 4096}
      dag: {requestTimeoutMs: %d}
      ops: [{name: scripted, kind: java, className: %s, concurrency: 4}]
      """
          .formatted(DAG_TIMEOUT_MS, TestOps.Scripted.class.getName());

  private static PipelineServer server;
  private static ManagedChannel channel;
  private static PipelineServiceGrpc.PipelineServiceBlockingStub stub;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    server = PipelineServer.start(Specs.yaml(SPEC), dir, "127.0.0.1");
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
    stub = PipelineServiceGrpc.newBlockingStub(channel);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.stop(Duration.ofSeconds(1));
  }

  @Test
  void inference_returnsTheSinkOpsFields() {
    Response response = stub.inference(kv("action", "upper", "text", "grpc"));

    assertThat(response.getErrNo()).isZero();
    assertThat(response.getKeyList()).containsExactly("text");
    assertThat(response.getValueList()).containsExactly("GRPC");
  }

  @Test
  void tensors_travelBothWays() {
    Request request =
        Request.newBuilder()
            .addTensors(
                Tensor.newBuilder()
                    .setName("ids")
                    .setElemType(0)
                    .addShape(1)
                    .addShape(2)
                    .addInt64Data(5)
                    .addInt64Data(6))
            .build();

    Tensor back = stub.inference(request).getTensors(0);

    assertThat(back.getName()).isEqualTo("ids");
    assertThat(back.getShapeList()).containsExactly(1, 2);
    assertThat(back.getInt64DataList()).containsExactly(5L, 6L);
  }

  @Test
  void clientDeadline_endsTheRequestInThePipeline_beforeTheOpReturns() {
    long start = System.nanoTime();

    StatusRuntimeException e =
        failure(
            () ->
                stub.withDeadlineAfter(200, TimeUnit.MILLISECONDS)
                    .inference(kv("action", "sleep", "ms", "3000")));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    // The client's own deadline and the server's TIMEOUT race; when the server answers first, it
    // says so with its err_no.
    if (e.getTrailers() != null && errNo(e) != null) {
      assertThat(errNo(e)).isEqualTo("6000");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    // The pipeline drops the request at the client's deadline, not at the op's return (3 s) or
    // the dag's requestTimeoutMs (1.5 s).
    await()
        .atMost(Duration.ofMillis(DAG_TIMEOUT_MS - 500))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> server.inFlight() == 0);
    assertGoodRequestStillWorks();
  }

  @Test
  void productError_isStatusOkWithErrNoInTheResponse() {
    Response response = stub.inference(kv("action", "product", "err_no", "62"));

    assertThat(response.getErrNo()).isEqualTo(62);
    assertThat(response.getErrMsg()).contains("no text found");
  }

  @Test
  void frameworkError_isItsGrpcStatusWithErrNoTrailer() {
    StatusRuntimeException e = failure(() -> stub.inference(kv("action", "sleep", "ms", "3000")));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(e.getStatus().getDescription()).contains("request deadline of 1500 ms exceeded");
    assertThat(errNo(e)).isEqualTo("6000");
    assertGoodRequestStillWorks();
  }

  @Test
  void unexpectedFailure_isInternalWithErrNo10000NamingTheOp() {
    StatusRuntimeException e = failure(() -> stub.inference(kv("action", "boom")));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(e.getStatus().getDescription())
        .contains("op 'scripted' process failed: java.lang.IllegalStateException: a bug in an op");
    assertThat(errNo(e)).isEqualTo("10000");
    assertGoodRequestStillWorks();
  }

  @Test
  void badTensor_isInvalidArgumentNamingTheTensor() {
    Request request =
        Request.newBuilder()
            .addTensors(
                Tensor.newBuilder().setName("img").setElemType(1).addShape(3).addFloatData(1))
            .build();

    StatusRuntimeException e = failure(() -> stub.inference(request));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription())
        .contains("tensors[0] 'img': shape [3] needs 3 values");
    assertThat(errNo(e)).isEqualTo("5000");
    assertGoodRequestStillWorks();
  }

  @Test
  void unknownServiceName_isUnimplementedWithNoService() {
    StatusRuntimeException e =
        failure(() -> stub.inference(kv("action", "echo").toBuilder().setName("uci").build()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(e.getStatus().getDescription()).contains("this server serves 'ocr'");
    assertThat(errNo(e)).isEqualTo("3002");
  }

  @Test
  void malformedProtobuf_isInvalidArgument() {
    // Field 1 (key) as a length-delimited string claiming 100 bytes, with only 2 present.
    byte[] truncated = {0x0a, 100, 'a', 'b'};

    StatusRuntimeException e =
        failure(
            () ->
                ClientCalls.blockingUnaryCall(
                    channel, rawInference(), CallOptions.DEFAULT, truncated));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription())
        .contains("not a valid baidu.paddle_serving.pipeline_serving.Request");
    assertThat(errNo(e)).isEqualTo("8000");
    assertGoodRequestStillWorks();
  }

  private static void assertGoodRequestStillWorks() {
    assertThat(stub.inference(kv("action", "upper", "text", "ok")).getValueList())
        .containsExactly("OK");
  }

  private static Request kv(String... pairs) {
    Request.Builder request = Request.newBuilder();
    for (int i = 0; i < pairs.length; i += 2) {
      request.addKey(pairs[i]).addValue(pairs[i + 1]);
    }
    return request.build();
  }

  private static StatusRuntimeException failure(Runnable call) {
    return catchThrowableOfType(StatusRuntimeException.class, call::run);
  }

  private static String errNo(StatusRuntimeException e) {
    return e.getTrailers()
        .get(Metadata.Key.of(PaddleGrpcGateway.ERR_NO_TRAILER, Metadata.ASCII_STRING_MARSHALLER));
  }

  private static MethodDescriptor<byte[], Response> rawInference() {
    return PipelineServiceGrpc.getInferenceMethod().toBuilder(new RawBytes(), new ResponseBytes())
        .build();
  }

  private static final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      throw new UnsupportedOperationException("requests only");
    }
  }

  private static final class ResponseBytes implements MethodDescriptor.Marshaller<Response> {
    @Override
    public InputStream stream(Response value) {
      return value.toByteString().newInput();
    }

    @Override
    public Response parse(InputStream stream) {
      try {
        return Response.parseFrom(stream);
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
