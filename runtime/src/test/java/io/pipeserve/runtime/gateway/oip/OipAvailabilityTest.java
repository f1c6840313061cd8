package io.pipeserve.runtime.gateway.oip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pipeserve.proto.inference.GRPCInferenceServiceGrpc;
import io.pipeserve.proto.inference.ModelInferRequest;
import io.pipeserve.proto.inference.ServerReadyRequest;
import io.pipeserve.runtime.gateway.oip.OipHttp.Answer;
import io.pipeserve.runtime.server.PipelineServer;
import io.pipeserve.runtime.testing.Specs;
import io.pipeserve.runtime.testing.TestOps;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server with room for one request at a time: a second is refused at once (429 /
 * RESOURCE_EXHAUSTED), and a draining server is not ready (503 / UNAVAILABLE).
 */
class OipAvailabilityTest {
  private static final String SLEEP =
      "{\"parameters\":{\"action\":\"sleep\",\"ms\":\"%d\"},\"inputs\":[{\"name\":\"x\","
          + "\"datatype\":\"INT32\",\"shape\":[1],\"data\":[1]}]}";
  private static final String GOOD = SLEEP.formatted(0);

  @TempDir Path dir;
  private PipelineServer server;
  private OipHttp http;
  private ManagedChannel channel;

  @BeforeEach
  void start() {
    server =
        PipelineServer.start(
            Specs.yaml(
                """
                server: {name: one, httpPort: 0, grpcPort: 0, workers: 1}
                dag: {channelSize: 1, requestTimeoutMs: 10000}
                ops: [{name: scripted, kind: java, className: %s}]
                """
                    .formatted(TestOps.Scripted.class.getName())),
            dir,
            "127.0.0.1");
    http = new OipHttp(server.httpPort());
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.stop(Duration.ofSeconds(1));
  }

  private CompletableFuture<Answer> sleeping(long ms) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return http.post("/v2/models/one/infer", SLEEP.formatted(ms));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private StatusRuntimeException grpcFailure() {
    return catchThrowableOfType(
        StatusRuntimeException.class,
        () ->
            GRPCInferenceServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .modelInfer(
                    ModelInferRequest.newBuilder()
                        .setModelName("one")
                        .addInputs(
                            ModelInferRequest.InferInputTensor.newBuilder()
                                .setName("x")
                                .setDatatype("INT32")
                                .addShape(1))
                        .addRawInputContents(ByteString.copyFrom(new byte[4]))
                        .build()));
  }

  @Test
  void aFullPipeline_refusesAtOnceWith429_thenServesAgain() throws Exception {
    CompletableFuture<Answer> first = sleeping(1500);
    await().atMost(Duration.ofSeconds(10)).until(() -> server.inFlight() == 1);

    Answer refused = http.post("/v2/models/one/infer", GOOD);
    StatusRuntimeException grpcRefused = grpcFailure();

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.error()).contains("is full").contains("dag.channelSize");
    assertThat(grpcRefused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    assertThat(http.post("/v2/models/one/infer", GOOD).status()).isEqualTo(200);
  }

  @Test
  void aDrainingServer_isNotReady_andRefusesNewRequestsWith503() throws Exception {
    CompletableFuture<Answer> inFlight = sleeping(1500);
    await().atMost(Duration.ofSeconds(10)).until(() -> server.inFlight() == 1);
    CompletableFuture<Void> stopping =
        CompletableFuture.runAsync(() -> server.stop(Duration.ofSeconds(10)));
    await().atMost(Duration.ofSeconds(10)).until(() -> !server.isReady());

    Answer ready = http.get("/v2/models/one/ready");
    Answer refused = http.post("/v2/models/one/infer", GOOD);
    boolean grpcReady =
        GRPCInferenceServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .serverReady(ServerReadyRequest.getDefaultInstance())
            .getReady();
    StatusRuntimeException grpcRefused = grpcFailure();

    assertThat(ready.status()).isEqualTo(503);
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.error()).contains("shutting down");
    assertThat(grpcReady).isFalse();
    assertThat(grpcRefused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    // The request in flight when draining began still gets its answer.
    assertThat(inFlight.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    stopping.get(20, TimeUnit.SECONDS);
  }
}
