package io.pipeserve.runtime.gateway.oip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.pipeserve.proto.inference.GRPCInferenceServiceGrpc;
import io.pipeserve.proto.inference.InferParameter;
import io.pipeserve.proto.inference.InferTensorContents;
import io.pipeserve.proto.inference.ModelInferRequest;
import io.pipeserve.proto.inference.ModelInferRequest.InferInputTensor;
import io.pipeserve.proto.inference.ModelInferResponse;
import io.pipeserve.proto.inference.ModelMetadataRequest;
import io.pipeserve.proto.inference.ModelReadyRequest;
import io.pipeserve.proto.inference.ModelStreamInferResponse;
import io.pipeserve.proto.inference.ServerLiveRequest;
import io.pipeserve.proto.inference.ServerMetadataRequest;
import io.pipeserve.proto.inference.ServerMetadataResponse;
import io.pipeserve.proto.inference.ServerReadyRequest;
import io.pipeserve.runtime.server.PipelineServer;
import io.pipeserve.runtime.testing.Specs;
import io.pipeserve.runtime.testing.TestOps;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code inference.GRPCInferenceService} through a real grpc-java client, in front of a pipeline
 * whose one op echoes its fields (or does what the request's {@code action} parameter says).
 */
class OipGrpcTest {
  private static final long MAX_MESSAGE = 64 * 1024;
  private static final String SPEC =
      """
      server: {name: echo, httpPort: 0, grpcPort: 0, workers: 2, maxBodyBytes: %d}
      dag: {channelSize: 128, requestTimeoutMs: 5000}
      ops: [{name: scripted, kind: java, className: %s, concurrency: 4}]
      """
          .formatted(MAX_MESSAGE, TestOps.Scripted.class.getName());

  @TempDir static Path dir;
  private static PipelineServer server;
  private static ManagedChannel channel;
  private static GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;

  @BeforeAll
  static void start() {
    server = PipelineServer.start(Specs.yaml(SPEC), dir, "127.0.0.1");
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort())
            .usePlaintext()
            .maxInboundMessageSize(16 * 1024 * 1024)
            .build();
    stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.stop(Duration.ofSeconds(1));
  }

  /** After every test, good or bad request alike, the server keeps serving. */
  @AfterEach
  void serverStillServes() {
    ModelInferResponse good = infer(raw("x", "INT32", le(4).putInt(42).array(), 1));
    assertThat(
            good.getRawOutputContents(0)
                .asReadOnlyByteBuffer()
                .order(ByteOrder.LITTLE_ENDIAN)
                .getInt())
        .isEqualTo(42);
  }

  private static ModelInferResponse infer(ModelInferRequest.Builder request) {
    return stub.withDeadlineAfter(10, TimeUnit.SECONDS).modelInfer(request.build());
  }

  private static StatusRuntimeException failure(ModelInferRequest.Builder request) {
    return catchThrowableOfType(StatusRuntimeException.class, () -> infer(request));
  }

  private static ModelInferRequest.Builder raw(
      String name, String datatype, byte[] raw, long... shape) {
    return ModelInferRequest.newBuilder()
        .setModelName("echo")
        .addInputs(input(name, datatype, shape))
        .addRawInputContents(ByteString.copyFrom(raw));
  }

  private static InferInputTensor.Builder input(String name, String datatype, long... shape) {
    InferInputTensor.Builder in = InferInputTensor.newBuilder().setName(name).setDatatype(datatype);
    for (long d : shape) {
      in.addShape(d);
    }
    return in;
  }

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  static Stream<Samples> typed() {
    return Samples.all().filter(s -> s.typed() != null);
  }

  @Test
  void health_liveAndReady() {
    assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
    assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
    assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("echo").build()).getReady())
        .isTrue();
  }

  @Test
  void serverMetadata_namesTheExtensionsItImplements() {
    ServerMetadataResponse metadata =
        stub.serverMetadata(ServerMetadataRequest.getDefaultInstance());

    assertThat(metadata.getName()).isEqualTo("pipeserve");
    assertThat(metadata.getExtensionsList())
        .containsExactly("binary_tensor_data", "parameters", "trace");
  }

  @Test
  void unknownModelOrVersion_isNotFoundNamingIt() {
    StatusRuntimeException model =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("nope").build()));
    StatusRuntimeException version =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                stub.modelReady(
                    ModelReadyRequest.newBuilder().setName("echo").setVersion("2").build()));
    StatusRuntimeException infer = failure(raw("x", "INT32", new byte[4], 1).setModelVersion("3"));

    assertThat(model.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(model.getStatus().getDescription()).contains("unknown model 'nope'");
    assertThat(version.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(version.getStatus().getDescription()).contains("has no version '2'");
    assertThat(infer.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(infer.getStatus().getDescription()).contains("has no version '3'");
  }

  @ParameterizedTest
  @MethodSource("io.pipeserve.runtime.gateway.oip.Samples#all")
  void everyDatatype_roundTripsRaw_andARawRequestIsAnsweredRaw(Samples s) {
    ModelInferResponse response = infer(raw("x", s.datatype(), s.raw(), 1, 3).setId("r1"));

    assertThat(response.getId()).isEqualTo("r1");
    assertThat(response.getModelName()).isEqualTo("echo");
    assertThat(response.getModelVersion()).isEqualTo("1");
    ModelInferResponse.InferOutputTensor out = response.getOutputs(0);
    assertThat(out.getName()).isEqualTo("x");
    assertThat(out.getDatatype()).isEqualTo(s.datatype());
    assertThat(out.getShapeList()).containsExactly(1L, 3L);
    assertThat(out.hasContents()).isFalse();
    assertThat(response.getRawOutputContents(0).toByteArray()).isEqualTo(s.raw());
  }

  @ParameterizedTest
  @MethodSource("typed")
  void everyDatatypeWithATypedField_roundTripsTyped_andATypedRequestIsAnsweredTyped(Samples s) {
    ModelInferRequest.Builder request =
        ModelInferRequest.newBuilder()
            .setModelName("echo")
            .addInputs(input("x", s.datatype(), 3).setContents(s.typed()));

    ModelInferResponse response = infer(request);

    assertThat(response.getRawOutputContentsCount()).isZero();
    assertThat(response.getOutputs(0).getDatatype()).isEqualTo(s.datatype());
    assertThat(response.getOutputs(0).getContents()).isEqualTo(s.typed());
  }

  @Test
  void fp16InTypedContents_isInvalidArgument() {
    StatusRuntimeException e =
        failure(
            ModelInferRequest.newBuilder()
                .setModelName("echo")
                .addInputs(
                    input("h", "FP16", 1)
                        .setContents(InferTensorContents.newBuilder().addFp32Contents(1f))));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription())
        .isEqualTo("input 'h': FP16 has no typed contents field; send it in raw_input_contents");
  }

  @Test
  void parameters_reachThePipeline_andComeBackAsResponseParameters() {
    ModelInferResponse response =
        infer(
            raw("x", "INT32", new byte[4], 1)
                .putParameters(
                    "action", InferParameter.newBuilder().setStringParam("upper").build())
                .putParameters("text", InferParameter.newBuilder().setStringParam("hi").build())
                .putParameters("ratio", InferParameter.newBuilder().setDoubleParam(0.5).build()));

    assertThat(response.getParametersMap().get("text").getStringParam()).isEqualTo("HI");
    assertThat(response.getParametersMap().get("ratio").getStringParam()).isEqualTo("0.5");
    assertThat(response.getParametersMap()).doesNotContainKey("action"); // the op removed it
  }

  @Test
  void rawSizeNotMatchingTheShape_isInvalidArgumentNamingBoth() {
    StatusRuntimeException e = failure(raw("x", "FP32", new byte[8], 3));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription())
        .isEqualTo(
            "input 'x' (raw_input_contents[0]): 8 bytes of data do not match shape [3] of FP32,"
                + " which takes 12 bytes");
  }

  @Test
  void typedCountNotMatchingTheShape_pointsAtTheFieldThatHoldsTheData() {
    StatusRuntimeException e =
        failure(
            ModelInferRequest.newBuilder()
                .setModelName("echo")
                .addInputs(
                    input("x", "FP32", 2)
                        .setContents(
                            InferTensorContents.newBuilder().addIntContents(1).addIntContents(2))));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription())
        .isEqualTo(
            "input 'x': shape [2] holds 2 elements but contents.fp32_contents has 0"
                + " (int_contents has 2; check the datatype)");
  }

  @Test
  void rawContentsNotOnePerInput_isInvalidArgument() {
    StatusRuntimeException e =
        failure(raw("x", "INT32", new byte[4], 1).addInputs(input("y", "INT32", 1)));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription())
        .isEqualTo(
            "raw_input_contents has 1 entries for 2 inputs; send one per input, in input order");
  }

  @Test
  void unknownDatatype_isInvalidArgument() {
    StatusRuntimeException e = failure(raw("x", "COMPLEX64", new byte[8], 1));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).contains("datatype 'COMPLEX64' is not supported");
  }

  @Test
  void unknownRequestedOutput_isInvalidArgument() {
    StatusRuntimeException e =
        failure(
            raw("x", "INT32", new byte[4], 1)
                .addOutputs(
                    ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("nope")));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription())
        .isEqualTo("unknown output 'nope' requested from model 'echo'; it answered x");
  }

  @Test
  void oversizedMessage_isResourceExhausted() {
    StatusRuntimeException e = failure(raw("x", "UINT8", new byte[(int) MAX_MESSAGE], MAX_MESSAGE));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getStatus().getDescription())
        .isEqualTo("the request message is larger than server.maxBodyBytes (65536 bytes)");
  }

  @Test
  void clientDeadline_isTheRequestsDeadline() {
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                stub.withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                    .modelInfer(
                        raw("x", "INT32", new byte[4], 1)
                            .putParameters(
                                "action",
                                InferParameter.newBuilder().setStringParam("sleep").build())
                            .putParameters(
                                "ms", InferParameter.newBuilder().setStringParam("3000").build())
                            .build()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
  }

  private static byte[] pattern(int seed, int ints) {
    ByteBuffer b = le(4 * ints);
    for (int k = 0; k < ints; k++) {
      b.putInt(seed * 100_000 + k);
    }
    return b.array();
  }

  @Test
  void largeRawTensors_comeBackIntact_onOneStream() throws Exception {
    // Messages of tens of KiB span many HTTP/2 frames, several in flight: each answer must carry
    // its own request's bytes, whatever buffers they arrived in.
    int requests = 8;
    int ints = 12_000;
    Map<String, byte[]> answers = new ConcurrentHashMap<>();
    CountDownLatch completed = new CountDownLatch(1);
    StreamObserver<ModelInferRequest> stream =
        GRPCInferenceServiceGrpc.newStub(channel)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .modelStreamInfer(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ModelStreamInferResponse answer) {
                    answers.put(
                        answer.getInferResponse().getId(),
                        answer.getInferResponse().getRawOutputContents(0).toByteArray());
                  }

                  @Override
                  public void onError(Throwable t) {}

                  @Override
                  public void onCompleted() {
                    completed.countDown();
                  }
                });
    for (int i = 0; i < requests; i++) {
      stream.onNext(raw("x", "INT32", pattern(i, ints), ints).setId("big-" + i).build());
    }
    stream.onCompleted();

    assertThat(completed.await(30, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < requests; i++) {
      assertThat(answers.get("big-" + i)).as("big-" + i).isEqualTo(pattern(i, ints));
    }
    assertThat(
            infer(raw("x", "INT32", pattern(9, ints), ints)).getRawOutputContents(0).toByteArray())
        .isEqualTo(pattern(9, ints));
  }

  @Test
  void streamInfer_answersManyRequestsInFlightOnOneStream_eachByItsId() throws Exception {
    int requests = 64;
    Map<String, ModelStreamInferResponse> answers = new ConcurrentHashMap<>();
    CountDownLatch completed = new CountDownLatch(1);
    StreamObserver<ModelInferRequest> stream =
        GRPCInferenceServiceGrpc.newStub(channel)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .modelStreamInfer(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ModelStreamInferResponse answer) {
                    answers.put(answer.getInferResponse().getId(), answer);
                  }

                  @Override
                  public void onError(Throwable t) {}

                  @Override
                  public void onCompleted() {
                    completed.countDown();
                  }
                });
    for (int i = 0; i < requests; i++) {
      // Each sleeps 20 ms on one of 4 workers: the requests overlap on the stream.
      ModelInferRequest.Builder request =
          raw("x", "INT32", le(4).putInt(i).array(), 1)
              .setId("id-" + i)
              .putParameters("action", InferParameter.newBuilder().setStringParam("sleep").build())
              .putParameters("ms", InferParameter.newBuilder().setStringParam("20").build());
      if (i == 10) {
        request.getInputsBuilder(0).setDatatype("FP8"); // a bad one among them
      }
      stream.onNext(request.build());
    }
    stream.onCompleted();

    assertThat(completed.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(answers).hasSize(requests);
    for (int i = 0; i < requests; i++) {
      ModelStreamInferResponse answer = answers.get("id-" + i);
      if (i == 10) {
        assertThat(answer.getErrorMessage()).contains("datatype 'FP8' is not supported");
        assertThat(answer.getInferResponse().getModelName()).isEqualTo("echo");
        continue;
      }
      assertThat(answer.getErrorMessage()).isEmpty();
      ByteBuffer raw =
          answer
              .getInferResponse()
              .getRawOutputContents(0)
              .asReadOnlyByteBuffer()
              .order(ByteOrder.LITTLE_ENDIAN);
      assertThat(raw.getInt()).as("answer to id-" + i).isEqualTo(i);
    }
  }
}
