package io.pipeserve.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.pipeserve.api.PipelineSpec;
import io.pipeserve.api.ServerSpec;
import io.pipeserve.api.SpecLoader;
import io.pipeserve.proto.paddle.PipelineServiceGrpc;
import io.pipeserve.proto.paddle.Request;
import io.pipeserve.proto.paddle.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The OCR example as a user runs it: examples/ocr/pipeline.yaml with the real PP-OCR models, served
 * over HTTP and gRPC, reading the shipped sample images.
 */
class OcrExampleTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "ocr").toAbsolutePath().normalize();
  private static final HttpClient http = HttpClient.newHttpClient();
  private static PipelineServer server;
  private static ManagedChannel channel;
  private static String name;

  @BeforeAll
  static void start() {
    PipelineSpec spec = SpecLoader.loadValid(EXAMPLE.resolve("pipeline.yaml"));
    ServerSpec s = spec.server();
    name = s.name();
    PipelineSpec onFreePorts =
        new PipelineSpec(
            new ServerSpec(s.name(), 0, 0, null, s.workers(), s.maxBodyBytes(), s.pluginDir()),
            spec.dag(),
            spec.ops(),
            spec.trace());
    server = PipelineServer.start(onFreePorts, EXAMPLE, "127.0.0.1");
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.stop(Duration.ofSeconds(5));
  }

  static Stream<String> images() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLE.resolve("images"))) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(f -> f.endsWith(".png"))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest
  @MethodSource("images")
  void http_readsEveryLineOfTheSampleImage(String image) throws Exception {
    HttpResponse<String> response = post(body(base64(image)));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getInteger("err_no")).isZero();
    assertThat(texts(body.getJsonArray("value").getString(0))).isEqualTo(expected(image));
  }

  @ParameterizedTest
  @MethodSource("images")
  void grpc_readsEveryLineOfTheSampleImage(String image) throws Exception {
    Response response =
        PipelineServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .inference(Request.newBuilder().addKey("image").addValue(base64(image)).build());

    assertThat(response.getErrNo()).as(response.getErrMsg()).isZero();
    assertThat(response.getKeyList()).containsExactly("res");
    assertThat(texts(response.getValue(0))).isEqualTo(expected(image));
  }

  @Test
  void concurrentRequests_batchedTogether_eachReadTheirOwnImage() throws Exception {
    List<String> images = images().toList();
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      for (String image : images) {
        answers.add(
            http.sendAsync(request(body(base64(image))), HttpResponse.BodyHandlers.ofString()));
      }
    }

    for (int i = 0; i < answers.size(); i++) {
      HttpResponse<String> response = answers.get(i).get(60, TimeUnit.SECONDS);
      String image = images.get(i % images.size());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(texts(new JsonObject(response.body()).getJsonArray("value").getString(0)))
          .as(image)
          .isEqualTo(expected(image));
    }
  }

  @Test
  void bodyLabelledAsAForm_asCurlDashDSendsIt_isReadAsJson() throws Exception {
    HttpRequest formLabelled =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.httpPort() + "/" + name + "/prediction"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body(base64("menu.png"))))
            .build();

    HttpResponse<String> response = http.send(formLabelled, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(texts(new JsonObject(response.body()).getJsonArray("value").getString(0)))
        .isEqualTo(expected("menu.png"));
  }

  @Test
  void eachLine_hasAConfidenceAndAFourPointBox() throws Exception {
    HttpResponse<String> response = post(body(base64("notice.png")));

    JsonArray lines =
        new JsonArray(new JsonObject(response.body()).getJsonArray("value").getString(0));
    assertThat(lines).isNotEmpty();
    for (int i = 0; i < lines.size(); i++) {
      JsonObject line = lines.getJsonObject(i);
      assertThat(line.getDouble("confidence")).isBetween(0.5, 1.0);
      assertThat(line.getJsonArray("box")).hasSize(4);
    }
  }

  @Test
  void undecodableImage_isAnInputErrorNamingTheField_andTheNextImageIsRead() throws Exception {
    String garbage = Base64.getEncoder().encodeToString("not an image".getBytes());

    HttpResponse<String> bad = post(body(garbage));

    assertThat(bad.statusCode()).isEqualTo(400);
    JsonObject error = new JsonObject(bad.body());
    assertThat(error.getInteger("err_no")).isEqualTo(5000);
    assertThat(error.getString("err_msg")).contains("image");
    HttpResponse<String> good = post(body(base64("menu.png")));
    assertThat(good.statusCode()).isEqualTo(200);
  }

  @Test
  void emptyImage_isAnInputError() throws Exception {
    HttpResponse<String> response = post(body(""));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(response.body()).getInteger("err_no")).isEqualTo(5000);
  }

  @Test
  void invalidBase64_isAnInputError() throws Exception {
    HttpResponse<String> response = post(body("%%% not base64 %%%"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(response.body()).getString("err_msg")).contains("image");
  }

  private static String body(String imageBase64) {
    return new JsonObject()
        .put("key", new JsonArray().add("image"))
        .put("value", new JsonArray().add(imageBase64))
        .put("logid", 42)
        .encode();
  }

  private static HttpResponse<String> post(String body) throws Exception {
    return http.send(request(body), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest request(String body) {
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.httpPort() + "/" + name + "/prediction"))
        .timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static String base64(String image) throws IOException {
    return Base64.getEncoder()
        .encodeToString(Files.readAllBytes(EXAMPLE.resolve("images").resolve(image)));
  }

  private static List<String> expected(String image) throws IOException {
    Path txt = EXAMPLE.resolve("images").resolve(image.replace(".png", ".txt"));
    return Files.readAllLines(txt).stream().filter(l -> !l.isBlank()).toList();
  }

  private static List<String> texts(String res) {
    JsonArray lines = new JsonArray(res);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      out.add(lines.getJsonObject(i).getString("text"));
    }
    return out;
  }
}
