package io.pipeserve.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pipeserve.proto.paddle.PipelineServiceGrpc;
import io.pipeserve.proto.paddle.Request;
import io.pipeserve.proto.paddle.Response;
import io.pipeserve.runtime.gateway.grpc.PaddleGrpcGateway;
import io.pipeserve.runtime.testing.Specs;
import io.pipeserve.runtime.testing.TestOps;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole embedded server: real executor with java ops, real sockets on loopback. */
class PipelineServerTest {
  private static final String SERVER =
      "server: {name: ocr, httpPort: 0, grpcPort: 0, workers: 2}\n";
  private static final String CHAIN =
      SERVER
          + """
          ops:
            - {name: a, kind: java, className: %1$s, params: {suffix: "-a"}}
            - {name: b, inputs: [a], kind: java, className: %1$s, params: {suffix: "-b"}}
          """
              .formatted(TestOps.Append.class.getName());

  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;
  private PipelineServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(Duration.ofSeconds(1));
    }
  }

  private PipelineServer start(String yaml) {
    server = PipelineServer.start(Specs.yaml(yaml), dir, "127.0.0.1");
    return server;
  }

  @Test
  void chainOfJavaOps_answersOverHttp() throws Exception {
    start(CHAIN);

    HttpResponse<String> response =
        post("/ocr/prediction", "{\"key\":[\"text\"],\"value\":[\"x\"],\"logid\":5}");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getInteger("err_no")).isZero();
    assertThat(body.getJsonArray("value")).containsExactly("x-a-b");
  }

  @Test
  void chainOfJavaOps_answersOverGrpc() throws Exception {
    start(CHAIN);
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
    try {
      Response response =
          PipelineServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(5, TimeUnit.SECONDS)
              .inference(Request.newBuilder().addKey("text").addValue("g").build());

      assertThat(response.getErrNo()).isZero();
      assertThat(response.getValueList()).containsExactly("g-a-b");
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void productErrorOfAnOp_isAnsweredInBand() throws Exception {
    start(
        SERVER
            + "ops: [{name: p, kind: java, className: %s}]"
                .formatted(TestOps.ProductError.class.getName()));

    HttpResponse<String> response =
        post("/ocr/prediction", "{\"key\":[\"fail\"],\"value\":[\"1\"]}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(response.body()).getInteger("err_no")).isEqualTo(55);
  }

  @Test
  void opPastTheClientsGrpcDeadline_isDeadlineExceeded() throws Exception {
    start(SLOW.formatted(2000));
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
    try {
      Throwable failure =
          org.assertj.core.api.Assertions.catchThrowable(
              () ->
                  PipelineServiceGrpc.newBlockingStub(channel)
                      .withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                      .inference(Request.newBuilder().addKey("text").addValue("t").build()));

      assertThat(failure).isInstanceOf(StatusRuntimeException.class);
      assertThat(((StatusRuntimeException) failure).getStatus().getCode())
          .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void health_isLiveAndReady() throws Exception {
    start(CHAIN);

    assertThat(get(server.httpPort(), "/v2/health/live").statusCode()).isEqualTo(200);
    assertThat(get(server.httpPort(), "/v2/health/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void separateAdminPort_servesHealth() throws Exception {
    start(CHAIN.replace("workers: 2}", "workers: 2, adminPort: 0}"));

    assertThat(server.adminPort()).isNotEqualTo(server.httpPort());
    assertThat(get(server.adminPort(), "/v2/health/ready").statusCode()).isEqualTo(200);
  }

  private static final String SLOW =
      SERVER
          + "ops: [{name: s, kind: java, className: "
          + TestOps.Sleep.class.getName()
          + ", params: {ms: %d}}]";

  @Test
  void gracefulStop_finishesTheRequestInFlight_refusesNewOnes_andTurnsUnready() throws Exception {
    start(SLOW.formatted(1500));
    CompletableFuture<HttpResponse<String>> slow =
        postAsync("/ocr/prediction", "{\"key\":[\"text\"],\"value\":[\"t\"]}");
    await().atMost(Duration.ofSeconds(5)).until(() -> server.inFlight() == 1);

    CompletableFuture<Void> stopping =
        CompletableFuture.runAsync(() -> server.stop(Duration.ofSeconds(10)));
    await().atMost(Duration.ofSeconds(5)).until(() -> !server.isReady());

    assertThat(get(server.httpPort(), "/v2/health/ready").statusCode()).isEqualTo(503);
    HttpResponse<String> refused =
        post("/ocr/prediction", "{\"key\":[\"text\"],\"value\":[\"u\"]}");
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(new JsonObject(refused.body()).getInteger("err_no")).isEqualTo(3001);

    HttpResponse<String> finished = slow.get(10, TimeUnit.SECONDS);
    assertThat(finished.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(finished.body()).getJsonArray("key")).contains("slept");
    stopping.get(10, TimeUnit.SECONDS);
  }

  @Test
  void portInUse_failsStartWithAMessageNamingTheSetting() throws Exception {
    start(CHAIN);
    String clash =
        """
        server: {name: ocr, httpPort: %d, grpcPort: 0, workers: 1}
        ops: [{name: c, kind: java, className: %s, params: {id: port-clash}}]
        """
            .formatted(server.httpPort(), TestOps.RecordsClose.class.getName());

    Throwable failure =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> PipelineServer.start(Specs.yaml(clash), dir, "127.0.0.1"));

    assertThat(failure).hasMessageContaining("(server.httpPort)");
    assertThat(TestOps.RecordsClose.CLOSED).contains("port-clash");
  }

  private static final String FULL =
      SERVER
          + "dag: {channelSize: 1}\n"
          + "ops: [{name: s, kind: java, className: "
          + TestOps.Sleep.class.getName()
          + ", params: {ms: 3000}}]";

  @Test
  void fullPipeline_refusesTheNextRequestAtOnce_withHttp429AndErrNo3003() throws Exception {
    start(FULL);
    postAsync("/ocr/prediction", "{\"key\":[\"text\"],\"value\":[\"t\"]}");
    await().atMost(Duration.ofSeconds(5)).until(() -> server.inFlight() == 1);
    long start = System.nanoTime();

    HttpResponse<String> refused =
        post("/ocr/prediction", "{\"key\":[\"text\"],\"value\":[\"u\"]}");

    // Well before the 3 s the admitted request holds its slot: refused, not queued.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(refused.statusCode()).isEqualTo(429);
    JsonObject body = new JsonObject(refused.body());
    assertThat(body.getInteger("err_no")).isEqualTo(3003);
    assertThat(body.getString("err_msg"))
        .contains("pipeline 'ocr' is full: all 1 channel slots are in use (dag.channelSize)");
  }

  @Test
  void fullPipeline_refusesTheNextRequestAtOnce_withGrpcResourceExhausted() throws Exception {
    start(FULL);
    postAsync("/ocr/prediction", "{\"key\":[\"text\"],\"value\":[\"t\"]}");
    await().atMost(Duration.ofSeconds(5)).until(() -> server.inFlight() == 1);
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
    try {
      long start = System.nanoTime();

      StatusRuntimeException refused =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              StatusRuntimeException.class,
              () ->
                  PipelineServiceGrpc.newBlockingStub(channel)
                      .withDeadlineAfter(5, TimeUnit.SECONDS)
                      .inference(Request.newBuilder().addKey("text").addValue("u").build()));

      // Well before the 3 s the admitted request holds its slot: refused, not queued.
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      assertThat(refused.getStatus().getDescription())
          .contains("pipeline 'ocr' is full: all 1 channel slots are in use (dag.channelSize)");
      assertThat(
              refused
                  .getTrailers()
                  .get(
                      Metadata.Key.of(
                          PaddleGrpcGateway.ERR_NO_TRAILER, Metadata.ASCII_STRING_MARSHALLER)))
          .isEqualTo("3003");
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void fullPipeline_refusesBeforeReadingTheBody_andKeepsServing() throws Exception {
    start(FULL);
    postAsync("/ocr/prediction", "{\"key\":[\"text\"],\"value\":[\"t\"]}");
    await().atMost(Duration.ofSeconds(5)).until(() -> server.inFlight() == 1);

    // Announces a 1 MB body and sends 16 bytes of it: the answer must not wait for the rest.
    try (Socket socket = new Socket("127.0.0.1", server.httpPort())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /ocr/prediction HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + "Content-Length: 1000000\r\n\r\n{\"key\":[\"image\"],")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String statusLine =
          new BufferedReader(
                  new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();

      assertThat(statusLine).isEqualTo("HTTP/1.1 429 Too Many Requests");
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                post("/ocr/prediction", "{\"key\":[\"text\"],\"value\":[\"v\"]}").statusCode()
                    == 200);
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return postAsync(path, body).get(10, TimeUnit.SECONDS);
  }

  private CompletableFuture<HttpResponse<String>> postAsync(String path, String body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
