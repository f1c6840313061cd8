package io.pipeserve.e2e.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.pipeserve.e2e.cluster.ClusterExtension;
import io.pipeserve.proto.paddle.PipelineServiceGrpc;
import io.pipeserve.proto.paddle.Request;
import io.pipeserve.proto.paddle.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A user of the OCR pipeline: the sample images of examples/ocr/images, sent as Paddle's pipeline
 * clients send them (HTTP {@code POST /ocr/prediction}, gRPC {@code PipelineService/inference}),
 * and the lines read back.
 */
final class OcrClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path IMAGES = ClusterExtension.repo().resolve("examples/ocr/images");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private OcrClient() {}

  static List<String> images() {
    try (Stream<Path> files = Files.list(IMAGES)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(f -> f.endsWith(".png"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The lines the image shows. */
  static List<String> expected(String image) {
    try {
      return Files.readAllLines(IMAGES.resolve(image.replace(".png", ".txt"))).stream()
          .filter(l -> !l.isBlank())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The lines the pipeline at {@code address} reads in {@code image}, over HTTP.
   *
   * @throws IllegalStateException with the answer when it is not a successful one
   */
  static List<String> http(InetSocketAddress address, String image)
      throws IOException, InterruptedException {
    String body =
        JSON.writeValueAsString(
            JSON.createObjectNode()
                .<com.fasterxml.jackson.databind.node.ObjectNode>set(
                    "key", JSON.createArrayNode().add("image"))
                .set("value", JSON.createArrayNode().add(base64(image))));
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://"
                            + address.getHostString()
                            + ":"
                            + address.getPort()
                            + "/ocr/prediction"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode answer = JSON.readTree(response.body());
    if (response.statusCode() != 200 || answer.path("err_no").asInt(-1) != 0) {
      throw new IllegalStateException(
          "HTTP " + response.statusCode() + " for " + image + ": " + response.body());
    }
    return texts(answer.path("value").path(0).asText());
  }

  /** The lines the pipeline at {@code address} reads in {@code image}, over gRPC. */
  static List<String> grpc(InetSocketAddress address, String image) {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress(address.getHostString(), address.getPort())
            .usePlaintext()
            .build();
    try {
      Response response =
          PipelineServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(60, TimeUnit.SECONDS)
              .inference(Request.newBuilder().addKey("image").addValue(base64(image)).build());
      if (response.getErrNo() != 0) {
        throw new IllegalStateException(
            "err_no " + response.getErrNo() + " for " + image + ": " + response.getErrMsg());
      }
      return texts(response.getValue(0));
    } finally {
      channel.shutdownNow();
    }
  }

  private static List<String> texts(String result) throws UncheckedIOException {
    try {
      List<String> texts = new ArrayList<>();
      for (JsonNode line : JSON.readTree(result)) {
        texts.add(line.path("text").asText());
      }
      return texts;
    } catch (IOException e) {
      throw new UncheckedIOException("not the OCR result's JSON: " + result, e);
    }
  }

  private static String base64(String image) {
    try {
      return Base64.getEncoder().encodeToString(Files.readAllBytes(IMAGES.resolve(image)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
