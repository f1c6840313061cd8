package io.pipeserve.runtime.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeserve.runtime.server.PipelineServer;
import io.pipeserve.runtime.testing.Specs;
import io.pipeserve.runtime.testing.TestOps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP gateway in front of the real executor, running one op steered by the request. */
class PaddleHttpGatewayTest {
  private static final long MAX_BODY = 4096;
  // Concurrency 4: a request past its deadline leaves its worker asleep until the op returns.
  private static final String SPEC =
      """
      server: {name: ocr, httpPort: 0, grpcPort: 0, workers: 2, maxBodyBytes: %d}
      dag: {requestTimeoutMs: 1000}
      ops: [{name: scripted, kind: java, className: %s, concurrency: 4}]
      """
          .formatted(MAX_BODY, TestOps.Scripted.class.getName());

  private static PipelineServer server;
  private static final HttpClient client = HttpClient.newHttpClient();
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    server = PipelineServer.start(Specs.yaml(SPEC), dir, "127.0.0.1");
  }

  @AfterAll
  static void stop() {
    server.stop(Duration.ofSeconds(1));
  }

  @Test
  void prediction_answersWithPaddlesResponseKeys() throws Exception {
    HttpResponse<String> response =
        post(
            "/ocr/prediction",
            "{\"key\":[\"action\",\"text\"],\"value\":[\"upper\",\"hi\"],\"logid\":7}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    JsonObject body = new JsonObject(response.body());
    assertThat(body.fieldNames())
        .containsExactlyInAnyOrder("err_no", "err_msg", "key", "value", "tensors");
    assertThat(body.getInteger("err_no")).isZero();
    assertThat(body.getString("err_msg")).isEmpty();
    assertThat(body.getJsonArray("key")).isEqualTo(new JsonArray().add("text"));
    assertThat(body.getJsonArray("value")).isEqualTo(new JsonArray().add("HI"));
  }

  @Test
  void tensors_travelBothWays() throws Exception {
    HttpResponse<String> response =
        post(
            "/ocr/prediction",
            "{\"tensors\":[{\"name\":\"x\",\"elem_type\":1,\"shape\":[2],\"float_data\":[0.5,2]}]}");

    JsonObject tensor = new JsonObject(response.body()).getJsonArray("tensors").getJsonObject(0);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(tensor.getString("name")).isEqualTo("x");
    assertThat(tensor.getInteger("elem_type")).isEqualTo(1);
    assertThat(tensor.getJsonArray("shape")).isEqualTo(new JsonArray().add(2));
    assertThat(tensor.getJsonArray("float_data")).isEqualTo(new JsonArray().add(0.5).add(2.0));
  }

  @Test
  void productError_isHttp200WithItsErrNo() throws Exception {
    HttpResponse<String> response =
        post("/ocr/prediction", "{\"key\":[\"action\",\"err_no\"],\"value\":[\"product\",\"61\"]}");

    assertPaddleError(response, 200, 61, "no text found");
  }

  @Test
  void frameworkError_usesItsHttpStatus() throws Exception {
    HttpResponse<String> response =
        post("/ocr/prediction", "{\"key\":[\"action\",\"ms\"],\"value\":[\"sleep\",\"3000\"]}");

    assertPaddleError(response, 504, 6000, "request deadline of 1000 ms exceeded");
    assertGoodRequestStillWorks();
  }

  @Test
  void unexpectedFailure_isUnknowWithStatus500NamingTheOp() throws Exception {
    HttpResponse<String> response =
        post("/ocr/prediction", "{\"key\":[\"action\"],\"value\":[\"boom\"]}");

    assertPaddleError(
        response,
        500,
        10000,
        "op 'scripted' process failed: java.lang.IllegalStateException: a bug in an op");
    assertGoodRequestStillWorks();
  }

  @Test
  void unknownServiceName_is404NamingTheKnownOne() throws Exception {
    HttpResponse<String> response = post("/uci/prediction", "{\"key\":[],\"value\":[]}");

    assertPaddleError(response, 404, 3002, "no service 'uci' here; this server serves 'ocr'");
    assertGoodRequestStillWorks();
  }

  @Test
  void malformedJson_isRpcPackageError() throws Exception {
    HttpResponse<String> response = post("/ocr/prediction", "{\"key\":[\"a\"");

    assertPaddleError(response, 400, 8000, "not valid JSON");
    assertGoodRequestStillWorks();
  }

  @Test
  void emptyBody_isRpcPackageError() throws Exception {
    assertPaddleError(post("/ocr/prediction", ""), 400, 8000, "the request body is empty");
  }

  @Test
  void unknownJsonKey_isInputErrorNamingTheKey() throws Exception {
    HttpResponse<String> response = post("/ocr/prediction", "{\"keys\":[\"a\"],\"value\":[\"1\"]}");

    assertPaddleError(response, 400, 5000, "Cannot find field: keys in message Request");
    assertGoodRequestStillWorks();
  }

  @Test
  void wrongTensorShape_isInputErrorNamingTheTensor() throws Exception {
    HttpResponse<String> response =
        post(
            "/ocr/prediction",
            "{\"tensors\":[{\"name\":\"img\",\"elem_type\":1,\"shape\":[2,2],\"float_data\":[1]}]}");

    assertPaddleError(response, 400, 5000, "tensors[0] 'img': shape [2, 2] needs 4 values");
    assertGoodRequestStillWorks();
  }

  @Test
  void unknownElemType_isTypeError() throws Exception {
    HttpResponse<String> response =
        post("/ocr/prediction", "{\"tensors\":[{\"name\":\"c\",\"elem_type\":42,\"shape\":[1]}]}");

    assertPaddleError(response, 400, 7000, "elem_type 42 is not supported");
  }

  @Test
  void oversizedBody_is413WithAPaddleBody() throws Exception {
    String big = "x".repeat((int) MAX_BODY);
    HttpResponse<String> response =
        post("/ocr/prediction", "{\"key\":[\"a\"],\"value\":[\"" + big + "\"]}");

    assertPaddleError(response, 413, 5000, "larger than server.maxBodyBytes (4096 bytes)");
    assertGoodRequestStillWorks();
  }

  private static void assertGoodRequestStillWorks() throws Exception {
    HttpResponse<String> response =
        post("/ocr/prediction", "{\"key\":[\"action\",\"text\"],\"value\":[\"upper\",\"ok\"]}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(response.body()).getJsonArray("value")).containsExactly("OK");
  }

  private static void assertPaddleError(
      HttpResponse<String> response, int status, int errNo, String messagePart) {
    assertThat(response.statusCode()).isEqualTo(status);
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getInteger("err_no")).isEqualTo(errNo);
    assertThat(body.getString("err_msg")).contains(messagePart);
  }

  static HttpResponse<String> post(String path, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
