package io.pipeserve.runtime.predictor.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.pipeserve.api.RemoteSpec;
import io.pipeserve.proto.inference.ModelInferRequest;
import io.pipeserve.runtime.error.ErrorCode;
import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.executor.Executor;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.tensor.DType;
import io.pipeserve.runtime.tensor.Tensor;
import io.pipeserve.runtime.testing.Specs;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code remote} op kind against a small Open Inference Protocol server (FakeModelServer) on a
 * real loopback socket: what goes over the wire, what comes back, batching, errors, deadlines.
 */
class RemoteOpTest {
  @TempDir Path dir;
  private final List<AutoCloseable> closing = new ArrayList<>();
  private FakeModelServer remote;
  private Executor executor;

  @BeforeEach
  void startRemote() {
    remote = closeLater(FakeModelServer.start(0));
  }

  @AfterEach
  void close() throws Exception {
    if (executor != null) {
      executor.close();
    }
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T closeable) {
    closing.add(closeable);
    return closeable;
  }

  /** A pipeline of one remote op; {@code remoteBlock} and {@code opFields} are YAML flow text. */
  private Executor start(String remoteBlock, String opFields) {
    executor =
        Executor.start(
            Specs.yaml(
                "ops: [{name: r, kind: remote, remote: %s%s}]"
                    .formatted(remoteBlock, opFields.isEmpty() ? "" : ", " + opFields)),
            dir);
    return executor;
  }

  private Executor start(String opFields) {
    return start(
        "{endpoints: [\"%s\"], model: %s}".formatted(remote.endpoint(), FakeModelServer.MODEL),
        opFields);
  }

  private CompletableFuture<Sample> submit(String field, Tensor t) {
    return executor.submit(0, Map.of(field, t), 0);
  }

  private static Tensor row(float... values) {
    return Tensor.of(values, 1, values.length);
  }

  private static Sample answer(CompletableFuture<Sample> f) throws Exception {
    return f.get(20, TimeUnit.SECONDS);
  }

  private static PipelineException failure(CompletableFuture<Sample> f) {
    Throwable t = catchThrowable(() -> f.get(20, TimeUnit.SECONDS));
    assertThat(t).isNotNull();
    Throwable cause = t.getCause() instanceof CompletionException c ? c.getCause() : t.getCause();
    assertThat(cause).isInstanceOf(PipelineException.class);
    return (PipelineException) cause;
  }

  @Test
  void modelInfer_carriesModelVersionShapeAndRawLittleEndianContents() throws Exception {
    start("{endpoints: [\"%s\"], model: affine, version: \"1\"}".formatted(remote.endpoint()), "");

    answer(submit("x", row(1f, 2f, -0.5f)));

    assertThat(remote.infers).hasSize(1);
    ModelInferRequest request = remote.infers.get(0);
    assertThat(request.getModelName()).isEqualTo("affine");
    assertThat(request.getModelVersion()).isEqualTo("1");
    assertThat(request.getInputsCount()).isEqualTo(1);
    ModelInferRequest.InferInputTensor x = request.getInputs(0);
    assertThat(x.getName()).isEqualTo("x");
    assertThat(x.getDatatype()).isEqualTo("FP32");
    assertThat(x.getShapeList()).containsExactly(1L, 3L);
    assertThat(x.hasContents()).isFalse();
    ByteBuffer le = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    le.putFloat(1f).putFloat(2f).putFloat(-0.5f);
    assertThat(request.getRawInputContentsList()).containsExactly(ByteString.copyFrom(le.array()));
  }

  @Test
  void outputs_areStoredInFieldsOfTheirNames_whenFetchIsEmpty() throws Exception {
    start("");

    Sample out = answer(submit("x", row(1f, 2f, 3f)));

    assertThat(out.tensor("y").floats()).containsExactly(3f, 5f, 7f);
    assertThat(out.tensor("y").shape()).containsExactly(1, 3);
    assertThat(out.tensor("sum").dtype()).isEqualTo(DType.FP64);
    assertThat((double[]) out.tensor("sum").data()).containsExactly(6.0);
    assertThat(out.has("x")).as("the fed field is dropped").isFalse();
  }

  @Test
  void feedAndFetch_mapFieldsToTheRemoteInputsAndOutputsByPosition() throws Exception {
    start("feed: [pixels], fetch: [scaled, total]");

    Sample out = answer(submit("pixels", row(0f, 1f, 2f)));

    assertThat(out.fields()).containsOnlyKeys("scaled", "total");
    assertThat(out.tensor("scaled").floats()).containsExactly(1f, 3f, 5f);
    assertThat((double[]) out.tensor("total").data()).containsExactly(3.0);
  }

  @Test
  void answersInTypedContents_areReadToo() throws Exception {
    remote.answerTyped();
    start("");

    Sample out = answer(submit("x", row(1f, 1f, 1f)));

    assertThat(out.tensor("y").floats()).containsExactly(3f, 3f, 3f);
    assertThat((double[]) out.tensor("sum").data()).containsExactly(3.0);
  }

  @Test
  void batchOfSeveralRequests_isOneRemoteCall_andEachRequestGetsItsOwnRows() throws Exception {
    start("batch: {size: 4, timeoutMs: 5000}");

    List<CompletableFuture<Sample>> answers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      answers.add(submit("x", row(i, i, i)));
    }

    for (int i = 0; i < 4; i++) {
      float y = 2f * i + 1;
      assertThat(answer(answers.get(i)).tensor("y").floats()).containsExactly(y, y, y);
    }
    assertThat(remote.infers).hasSize(1);
    assertThat(remote.infers.get(0).getInputs(0).getShapeList()).containsExactly(4L, 3L);
    assertThat(executor.op("r").batches()).isEqualTo(1);
    assertThat(executor.op("r").batchedItems()).isEqualTo(4);
  }

  @Test
  void remoteError_isTheOpsError_withTheRemoteMessage_andTheServerKeepsServing() throws Exception {
    start("");
    remote.failNext(Status.INTERNAL.withDescription("model exploded"));

    PipelineException e = failure(submit("x", row(1f, 2f, 3f)));

    assertThat(e.code()).isEqualTo(ErrorCode.CLIENT_ERROR);
    assertThat(e.getMessage())
        .isEqualTo(
            "op 'r': remote model 'affine' at %s: ModelInfer failed: INTERNAL: model exploded",
            remote.endpoint());
    assertThat(answer(submit("x", row(1f, 2f, 3f))).tensor("y").floats())
        .containsExactly(3f, 5f, 7f);
  }

  @Test
  void remoteInvalidArgument_isAnInputError_andIsNotRetried() {
    start("retry: 2");
    remote.failNext(Status.INVALID_ARGUMENT.withDescription("unexpected shape [1,3]"));

    PipelineException e = failure(submit("x", row(1f, 2f, 3f)));

    assertThat(e.code()).isEqualTo(ErrorCode.INPUT_PARAMS_ERROR);
    assertThat(e.getMessage()).endsWith("INVALID_ARGUMENT: unexpected shape [1,3]");
    assertThat(remote.infers).hasSize(1);
  }

  @Test
  void remoteUnavailable_isRetriedWithinTheOpsRetry() throws Exception {
    start("retry: 1");
    remote.failNext(Status.UNAVAILABLE.withDescription("draining"));

    Sample out = answer(submit("x", row(1f, 2f, 3f)));

    assertThat(out.tensor("y").floats()).containsExactly(3f, 5f, 7f);
    assertThat(remote.infers).hasSize(2);
  }

  @Test
  void slowRemote_pastTheOpsTimeout_isCutByTheDeadline_andRetried() throws Exception {
    start("timeoutMs: 500, retry: 1");
    remote.stallNext(1);

    Sample out = answer(submit("x", row(1f, 2f, 3f)));

    assertThat(out.tensor("y").floats()).containsExactly(3f, 5f, 7f);
    assertThat(remote.infers).hasSize(2);
    assertThat(remote.deadlines.get(0)).isNotNull();
    assertThat(remote.deadlines.get(0).timeRemaining(TimeUnit.MILLISECONDS)).isLessThan(500);
    await().atMost(Duration.ofSeconds(10)).until(() -> remote.cancelled.get() == 1);
  }

  @Test
  void slowRemote_onEveryAttempt_failsWithTimeout() {
    start("timeoutMs: 300, retry: 1");
    remote.stallNext(2);

    PipelineException e = failure(submit("x", row(1f, 2f, 3f)));

    assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
    assertThat(e.getMessage()).startsWith("op 'r'");
    assertThat(remote.infers).hasSize(2);
  }

  @Test
  void requestPastItsDeadline_cancelsTheRemoteCall() {
    start(""); // no op timeout: no gRPC deadline either, only the cancellation ends the call
    remote.stallNext(1);

    PipelineException e = failure(executor.submit(0, Map.of("x", row(1f, 2f, 3f)), 300));

    assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
    assertThat(remote.deadlines).hasSize(1).containsOnlyNulls();
    await().atMost(Duration.ofSeconds(10)).until(() -> remote.cancelled.get() == 1);
  }

  @Test
  void serverDownAtStart_failsRequestsWithUnavailable_thenServesOnceItIsUp() throws Exception {
    int port = freePort();
    start("{endpoints: [\"127.0.0.1:%d\"], model: affine}".formatted(port), "");

    PipelineException down = failure(submit("x", row(1f, 2f, 3f)));

    assertThat(down.code()).isEqualTo(ErrorCode.CLIENT_ERROR);
    assertThat(down.getMessage())
        .startsWith(
            "op 'r': remote model 'affine' at 127.0.0.1:%d: ModelMetadata failed: UNAVAILABLE"
                .formatted(port));
    FakeModelServer late = closeLater(FakeModelServer.start(port));
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> answer(submit("x", row(1f, 2f, 3f))).tensor("y").floats()[0] == 3f);
    assertThat(late.infers).isNotEmpty();
  }

  @Test
  void inputOfTheWrongDatatype_failsAloneBeforeAnyRemoteCall() {
    start("");

    PipelineException e = failure(submit("x", Tensor.of(new long[] {1, 2, 3}, 1, 3)));

    assertThat(e.code()).isEqualTo(ErrorCode.TYPE_ERROR);
    assertThat(e.getMessage())
        .isEqualTo("op 'r': remote model 'affine': input 'x' takes FP32, got INT64");
    assertThat(remote.infers).isEmpty();
  }

  @Test
  void inputOfTheWrongShape_failsAloneBeforeAnyRemoteCall() {
    start("");

    PipelineException e = failure(submit("x", Tensor.of(new float[4], 1, 4)));

    assertThat(e.code()).isEqualTo(ErrorCode.INPUT_PARAMS_ERROR);
    assertThat(e.getMessage())
        .isEqualTo(
            "op 'r': remote model 'affine': input 'x' takes shape [-1, 3] (-1: any), got [1, 4]");
    assertThat(remote.infers).isEmpty();
  }

  @Test
  void feedNotMatchingTheRemoteInputs_isAnErrorNamingBoth() {
    start("feed: [a, b]");

    PipelineException e = failure(submit("a", row(1f, 2f, 3f)));

    assertThat(e.code()).isEqualTo(ErrorCode.CLIENT_ERROR);
    assertThat(e.getMessage())
        .isEqualTo(
            "op 'r': remote model 'affine': feed lists 2 fields but the model has 1 inputs [x]");
  }

  @Test
  void unknownRemoteModel_isAnErrorWithTheRemoteMessage() {
    start("{endpoints: [\"%s\"], model: nope}".formatted(remote.endpoint()), "");

    PipelineException e = failure(submit("x", row(1f, 2f, 3f)));

    assertThat(e.getMessage())
        .isEqualTo(
            "op 'r': remote model 'nope' at %s: ModelMetadata failed: NOT_FOUND: Request for"
                + " unknown model: 'nope'",
            remote.endpoint());
  }

  @Test
  void connections_areOpenedAtStartUp_beforeAnyRequest() {
    start("{endpoints: [\"%s\"], model: affine, connections: 2}".formatted(remote.endpoint()), "");

    await().atMost(Duration.ofSeconds(10)).until(() -> remote.connections.get() == 2);
  }

  @Test
  void severalEndpoints_shareTheCalls() throws Exception {
    FakeModelServer other = closeLater(FakeModelServer.start(0));
    start(
        "{endpoints: [\"%s\", \"%s\"], model: affine}"
            .formatted(remote.endpoint(), other.endpoint()),
        "");

    for (int i = 0; i < 6; i++) {
      answer(submit("x", row(1f, 2f, 3f)));
    }

    assertThat(remote.infers).isNotEmpty();
    assertThat(other.infers).isNotEmpty();
  }

  @Test
  void endpointThatIsDown_isPassedOver() throws Exception {
    start(
        "{endpoints: [\"127.0.0.1:%d\", \"%s\"], model: affine}"
            .formatted(freePort(), remote.endpoint()),
        "retry: 1");

    for (int i = 0; i < 6; i++) {
      assertThat(answer(submit("x", row(1f, 2f, 3f))).tensor("y").floats()[0]).isEqualTo(3f);
    }
  }

  @Test
  void endpointStillConnectingAtTheFirstRequest_thatThenFails_isPassedOver() throws Exception {
    // Accepts connections but never speaks HTTP/2, closing each after a while: its channel is
    // CONNECTING when the first request comes, and its calls fail only later, with UNAVAILABLE.
    ServerSocket mute = closeLater(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    Thread stalling = new Thread(() -> closeEachAfter(mute, 300), "mute-server");
    stalling.setDaemon(true);
    stalling.start();
    start(
        "{endpoints: [\"127.0.0.1:%d\", \"%s\"], model: affine}"
            .formatted(mute.getLocalPort(), remote.endpoint()),
        "retry: 1");

    for (int i = 0; i < 6; i++) {
      assertThat(answer(submit("x", row(1f, 2f, 3f))).tensor("y").floats()[0]).isEqualTo(3f);
    }
  }

  private static void closeEachAfter(ServerSocket server, long ms) {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        Thread.sleep(ms); // the server under test stalls: this is its behaviour, not a wait
      } catch (IOException | InterruptedException e) {
        return;
      }
    }
  }

  @Test
  void tls_reachesAServerWhoseCertificateTheCaFileSigned() throws Exception {
    FakeModelServer secure = closeLater(FakeModelServer.startTls());
    try (InputStream ca = FakeModelServer.resource("ca.pem")) {
      Files.copy(ca, dir.resolve("ca.pem"));
    }
    start(
        "{endpoints: [\"%s\"], model: affine, tls: {enabled: true, caFile: ca.pem}}"
            .formatted(secure.endpoint()),
        "");

    assertThat(answer(submit("x", row(1f, 2f, 3f))).tensor("y").floats())
        .containsExactly(3f, 5f, 7f);
    assertThat(secure.infers).hasSize(1);
  }

  @Test
  void tls_refusesAServerTheCaFileDidNotSign() throws Exception {
    FakeModelServer secure = closeLater(FakeModelServer.startTls());
    try (InputStream other = FakeModelServer.resource("other-ca.pem")) {
      Files.copy(other, dir.resolve("not-the-ca.pem"));
    }
    start(
        "{endpoints: [\"%s\"], model: affine, tls: {enabled: true, caFile: not-the-ca.pem}}"
            .formatted(secure.endpoint()),
        "");

    PipelineException e = failure(submit("x", row(1f, 2f, 3f)));

    assertThat(e.code()).isEqualTo(ErrorCode.CLIENT_ERROR);
    assertThat(e.getMessage()).contains("UNAVAILABLE");
    assertThat(secure.infers).isEmpty();
  }

  @Test
  void caFileThatIsNotPem_failsTheStartNamingTheOpAndTheFile() throws Exception {
    Files.writeString(dir.resolve("ca.pem"), "not a certificate");

    Throwable failure =
        catchThrowable(
            () ->
                start(
                    "{endpoints: [\"%s\"], model: affine, tls: {enabled: true, caFile: ca.pem}}"
                        .formatted(remote.endpoint()),
                    ""));

    assertThat(failure)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("ops[0] (r): remote.tls.caFile: ")
        .hasMessageContaining(dir.resolve("ca.pem").toString());
  }

  @Test
  void ready_asksTheServerWhetherTheModelIsReady() throws Exception {
    RemoteSpec spec = new RemoteSpec(List.of(remote.endpoint()), "affine", null, null, null);
    RemoteSpec unknown = new RemoteSpec(List.of(remote.endpoint()), "nope", null, null, null);
    try (RemotePredictor affine = RemotePredictor.connect(spec, 0, dir);
        RemotePredictor nope = RemotePredictor.connect(unknown, 0, dir)) {
      assertThat(affine.ready(Duration.ofSeconds(5))).isTrue();
      assertThat(nope.ready(Duration.ofSeconds(5))).isFalse();

      remote.close();

      assertThat(affine.ready(Duration.ofSeconds(5))).isFalse();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
