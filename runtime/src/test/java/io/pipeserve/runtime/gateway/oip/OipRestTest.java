package io.pipeserve.runtime.gateway.oip;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeserve.runtime.gateway.oip.OipHttp.Answer;
import io.pipeserve.runtime.server.PipelineServer;
import io.pipeserve.runtime.testing.Specs;
import io.pipeserve.runtime.testing.TestOps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The REST API of the Open Inference Protocol in front of a pipeline whose one op echoes its fields
 * (or does what the request's {@code action} parameter says), so what goes in comes back.
 */
class OipRestTest {
  private static final long MAX_BODY = 64 * 1024;
  private static final String SPEC =
      """
      server: {name: echo, httpPort: 0, grpcPort: 0, workers: 2, maxBodyBytes: %d}
      dag: {channelSize: 128, requestTimeoutMs: 5000}
      ops: [{name: scripted, kind: java, className: %s, concurrency: 4}]
      """
          .formatted(MAX_BODY, TestOps.Scripted.class.getName());
  private static final String INFER = "/v2/models/echo/infer";

  @TempDir static Path dir;
  private static PipelineServer server;
  private static OipHttp http;

  @BeforeAll
  static void start() {
    server = PipelineServer.start(Specs.yaml(SPEC), dir, "127.0.0.1");
    http = new OipHttp(server.httpPort());
  }

  @AfterAll
  static void stop() {
    server.stop(Duration.ofSeconds(1));
  }

  /** After every test, good or bad request alike, the server keeps serving. */
  @AfterEach
  void serverStillServes() throws Exception {
    Answer good = http.post(INFER, input("x", "FP32", "[1]", "[2.5]"));
    assertThat(good.status()).as(good.json().encode()).isEqualTo(200);
    assertThat(good.output(0).getJsonArray("data")).containsExactly(2.5);
  }

  private static String input(String name, String datatype, String shape, String data) {
    return "{\"inputs\":[" + tensor(name, datatype, shape, data) + "]}";
  }

  private static String tensor(String name, String datatype, String shape, String data) {
    return "{\"name\":\"%s\",\"datatype\":\"%s\",\"shape\":%s,\"data\":%s}"
        .formatted(name, datatype, shape, data);
  }

  private static String binaryInput(String name, String datatype, String shape, int size) {
    return "{\"name\":\"%s\",\"datatype\":\"%s\",\"shape\":%s,\"parameters\":{\"binary_data_size\":%d}}"
        .formatted(name, datatype, shape, size);
  }

  @Test
  void serverMetadata_namesTheExtensionsItImplements() throws Exception {
    Answer answer = http.get("/v2");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().getString("name")).isEqualTo("pipeserve");
    assertThat(answer.json().getString("version")).isNotEmpty();
    assertThat(answer.json().getJsonArray("extensions"))
        .containsExactly("binary_tensor_data", "parameters", "trace");
  }

  @Test
  void healthAndModelReadiness_are200WhileServing() throws Exception {
    assertThat(http.get("/v2/health/live").status()).isEqualTo(200);
    assertThat(http.get("/v2/health/ready").status()).isEqualTo(200);
    assertThat(http.get("/v2/models/echo/ready").status()).isEqualTo(200);
    assertThat(http.get("/v2/models/echo/versions/1/ready").status()).isEqualTo(200);
  }

  @Test
  void pipelineMetadata_listsOnlyWhatItsModelsDeclare() throws Exception {
    // A java op declares no tensors: nothing is guessed.
    Answer answer = http.get("/v2/models/echo");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json())
        .isEqualTo(
            new JsonObject(
                "{\"name\":\"echo\",\"versions\":[\"1\"],\"platform\":\"pipeserve_pipeline\","
                    + "\"inputs\":[],\"outputs\":[]}"));
  }

  @ParameterizedTest
  @MethodSource("io.pipeserve.runtime.gateway.oip.Samples#all")
  void everyDatatype_roundTripsInJson_nestedDataInFlatDataOut(Samples s) throws Exception {
    Answer answer = http.post(INFER, input("x", s.datatype(), "[1,3]", "[" + s.json() + "]"));

    assertThat(answer.status()).as(answer.json().encode()).isEqualTo(200);
    assertThat(answer.contentType()).isEqualTo("application/json");
    JsonObject out = answer.output(0);
    assertThat(out.getString("name")).isEqualTo("x");
    assertThat(out.getString("datatype")).isEqualTo(s.datatype());
    assertThat(out.getJsonArray("shape")).containsExactly(1, 3);
    assertThat(out.getJsonArray("data")).isEqualTo(new JsonArray(s.json()));
  }

  @ParameterizedTest
  @MethodSource("io.pipeserve.runtime.gateway.oip.Samples#all")
  void everyDatatype_jsonIn_comesBackAsRawBinaryData(Samples s) throws Exception {
    String request =
        "{\"parameters\":{\"binary_data_output\":true},\"inputs\":["
            + tensor("x", s.datatype(), "[3]", s.json())
            + "]}";

    Answer answer = http.post(INFER, request);

    assertThat(answer.status()).as(answer.json().encode()).isEqualTo(200);
    assertThat(answer.contentType()).isEqualTo("application/octet-stream");
    JsonObject out = answer.output(0);
    assertThat(out.containsKey("data")).isFalse();
    assertThat(out.getJsonObject("parameters").getInteger("binary_data_size"))
        .isEqualTo(s.raw().length);
    assertThat(answer.binary()).isEqualTo(s.raw());
  }

  @ParameterizedTest
  @MethodSource("io.pipeserve.runtime.gateway.oip.Samples#all")
  void everyDatatype_binaryIn_comesBackAsJson(Samples s) throws Exception {
    String request = "{\"inputs\":[" + binaryInput("x", s.datatype(), "[3]", s.raw().length) + "]}";

    Answer answer = http.postBinary(INFER, request, s.raw());

    assertThat(answer.status()).as(answer.json().encode()).isEqualTo(200);
    assertThat(answer.output(0).getString("datatype")).isEqualTo(s.datatype());
    assertThat(answer.output(0).getJsonArray("data")).isEqualTo(new JsonArray(s.json()));
  }

  @ParameterizedTest
  @MethodSource("io.pipeserve.runtime.gateway.oip.Samples#all")
  void everyDatatype_roundTripsAsBinaryData(Samples s) throws Exception {
    String request =
        "{\"inputs\":["
            + binaryInput("x", s.datatype(), "[3]", s.raw().length)
            + "],\"outputs\":[{\"name\":\"x\",\"parameters\":{\"binary_data\":true}}]}";

    Answer answer = http.postBinary(INFER, request, s.raw());

    assertThat(answer.status()).as(answer.json().encode()).isEqualTo(200);
    assertThat(answer.output(0).getJsonArray("shape")).containsExactly(3);
    assertThat(answer.binary()).isEqualTo(s.raw());
  }

  @Test
  void requestedOutputs_comeInTheirOrder_eachInTheFormItAskedFor() throws Exception {
    byte[] a =
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1f).putFloat(2f).array();
    String request =
        "{\"inputs\":["
            + binaryInput("a", "FP32", "[2]", 8)
            + ","
            + tensor("b", "INT32", "[2]", "[7,8]")
            + ","
            + tensor("c", "INT32", "[1]", "[9]")
            + "],\"parameters\":{\"binary_data_output\":true},\"outputs\":["
            + "{\"name\":\"b\",\"parameters\":{\"binary_data\":false}},{\"name\":\"a\"}]}";

    Answer answer = http.postBinary(INFER, request, a);

    assertThat(answer.json().getJsonArray("outputs")).hasSize(2);
    assertThat(answer.output(0).getString("name")).isEqualTo("b");
    assertThat(answer.output(0).getJsonArray("data")).containsExactly(7, 8);
    assertThat(answer.output(1).getString("name")).isEqualTo("a");
    assertThat(answer.output(1).getJsonObject("parameters").getInteger("binary_data_size"))
        .isEqualTo(8);
    assertThat(answer.binary()).isEqualTo(a);
  }

  @Test
  void idAndParameters_reachThePipeline_andComeBackAsResponseParameters() throws Exception {
    String request =
        "{\"id\":\"req-7\",\"parameters\":{\"tag\":\"blue\",\"count\":3,\"strict\":true},"
            + "\"inputs\":["
            + tensor("x", "FP32", "[1]", "[1.0]")
            + "]}";

    Answer answer = http.post(INFER, request);

    assertThat(answer.json().getString("id")).isEqualTo("req-7");
    assertThat(answer.json().getString("model_name")).isEqualTo("echo");
    assertThat(answer.json().getString("model_version")).isEqualTo("1");
    // Parameters reach ops as the strings Paddle's key/value pairs are.
    assertThat(answer.json().getJsonObject("parameters"))
        .isEqualTo(new JsonObject("{\"tag\":\"blue\",\"count\":\"3\",\"strict\":\"true\"}"));
    assertThat(answer.json().getJsonArray("outputs")).hasSize(1);
  }

  @Test
  void aParameterTheOpChanges_comesBackChanged() throws Exception {
    // The op upper-cases its "text" field, which came in as a parameter.
    Answer answer =
        http.post(
            INFER,
            "{\"parameters\":{\"action\":\"upper\",\"text\":\"hi\"},\"inputs\":["
                + tensor("x", "INT8", "[1]", "[1]")
                + "]}");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().getJsonObject("parameters").getString("text")).isEqualTo("HI");
    assertThat(answer.output(0).getString("name")).isEqualTo("x");
  }

  @Test
  void pipelineProfileParameter_comesBackAsAParameterWithTheStageTimes() throws Exception {
    Answer answer =
        http.post(
            INFER,
            "{\"parameters\":{\"pipeline.profile\":\"1\"},\"inputs\":["
                + tensor("x", "FP32", "[1]", "[1.0]")
                + "]}");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().getJsonObject("parameters").getString("pipeline.profile"))
        .contains("scripted");
    assertThat(answer.json().getJsonArray("outputs")).hasSize(1);
  }

  @Test
  void productError_isBadRequestNamingItsErrNo() throws Exception {
    Answer answer =
        http.post(
            INFER,
            "{\"parameters\":{\"action\":\"product\",\"err_no\":\"62\"},\"inputs\":["
                + tensor("x", "FP32", "[1]", "[1.0]")
                + "]}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.error()).contains("no text found in the image").contains("err_no 62");
  }

  @Test
  void timeoutParameter_endsTheRequestAtItsDeadline() throws Exception {
    serverStillServes(); // warm: the first request of a fresh client and server is slow
    long start = System.nanoTime();

    Answer answer =
        http.post(
            INFER,
            "{\"parameters\":{\"action\":\"sleep\",\"ms\":\"3000\",\"timeout\":200000},"
                + "\"inputs\":["
                + tensor("x", "FP32", "[1]", "[1.0]")
                + "]}");

    assertThat(answer.status()).isEqualTo(504);
    assertThat(answer.error()).contains("request deadline of 200 ms exceeded");
    // Answered at its 200 ms deadline, not when the op returns after 3 s.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2000));
  }

  @Test
  void specificVersion1_isServed() throws Exception {
    Answer answer =
        http.post("/v2/models/echo/versions/1/infer", input("x", "INT32", "[1]", "[4]"));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.output(0).getJsonArray("data")).containsExactly(4);
  }

  // Errors: each answers {"error": ...} with its status; @AfterEach checks the server still serves.

  @Test
  void unknownModel_is404NamingItAndTheModelsServed() throws Exception {
    Answer answer = http.post("/v2/models/nope/infer", input("x", "FP32", "[1]", "[1.0]"));

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.error()).contains("unknown model 'nope'").contains("'echo'");
    assertThat(http.get("/v2/models/nope").status()).isEqualTo(404);
    assertThat(http.get("/v2/models/nope/ready").status()).isEqualTo(404);
  }

  @Test
  void unknownVersion_is404NamingIt() throws Exception {
    Answer answer =
        http.post("/v2/models/echo/versions/2/infer", input("x", "FP32", "[1]", "[1.0]"));

    assertThat(answer.status()).isEqualTo(404);
    assertThat(answer.error()).contains("model 'echo' has no version '2'");
    assertThat(http.get("/v2/models/echo/versions/2").status()).isEqualTo(404);
  }

  @Test
  void dataNotMatchingTheShape_is400NamingBoth() throws Exception {
    Answer answer = http.post(INFER, input("x", "FP32", "[2,2]", "[1.0,2.0,3.0]"));

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.error()).isEqualTo("input 'x': shape [2, 2] holds 4 elements but data has 3");
  }

  @Test
  void unknownDatatype_is400ListingTheSupportedOnes() throws Exception {
    Answer answer = http.post(INFER, input("x", "FP8", "[1]", "[1.0]"));

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.error())
        .startsWith("input 'x': datatype 'FP8' is not supported; use one of BOOL, UINT8");
  }

  @Test
  void valueOutsideItsType_is400NamingTheElement() throws Exception {
    Answer answer = http.post(INFER, input("x", "UINT8", "[2]", "[1,300]"));

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.error())
        .isEqualTo("input 'x': data element 1 (300) is outside UINT8's range [0, 255]");
  }

  @Test
  void unknownRequestedOutput_is400NamingItAndTheOutputs() throws Exception {
    Answer answer =
        http.post(
            INFER,
            "{\"inputs\":["
                + tensor("x", "FP32", "[1]", "[1.0]")
                + "],\"outputs\":[{\"name\":\"nope\"}]}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.error())
        .isEqualTo("unknown output 'nope' requested from model 'echo'; it answered x");
  }

  @Test
  void malformedJson_is400() throws Exception {
    Answer answer = http.post(INFER, "{\"inputs\":[{\"name\":\"x\",");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.error()).startsWith("the request body is not valid JSON");
  }

  @Test
  void headerLengthBeyondTheBody_is400() throws Exception {
    byte[] body = input("x", "FP32", "[1]", "[1.0]").getBytes();

    Answer answer = http.postRaw(INFER, Integer.toString(body.length + 10), body);

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.error())
        .isEqualTo(
            "Inference-Header-Content-Length "
                + (body.length + 10)
                + " is beyond the body of "
                + body.length
                + " bytes");
  }

  @Test
  void binaryDataSizeNotMatchingTheShape_is400() throws Exception {
    String request = "{\"inputs\":[" + binaryInput("x", "FP32", "[3]", 8) + "]}";

    Answer answer = http.postBinary(INFER, request, new byte[8]);

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.error())
        .isEqualTo(
            "input 'x' (binary_data_size 8): 8 bytes of data do not match shape [3] of FP32,"
                + " which takes 12 bytes");
  }

  @Test
  void binaryDataSizePastTheBody_is400() throws Exception {
    String request = "{\"inputs\":[" + binaryInput("x", "FP32", "[3]", 12) + "]}";

    Answer answer = http.postBinary(INFER, request, new byte[8]);

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.error())
        .isEqualTo(
            "input 'x': binary_data_size 12 goes past the end of the body (8 bytes of binary"
                + " data left for it)");
  }

  @Test
  void binaryDataNoInputClaims_is400() throws Exception {
    String request = "{\"inputs\":[" + binaryInput("x", "FP32", "[1]", 4) + "]}";

    Answer answer = http.postBinary(INFER, request, new byte[4], new byte[3]);

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.error())
        .contains("7 bytes of binary data follow the JSON")
        .endsWith("add up to 4");
  }

  @Test
  void binaryDataSizeWithoutTheHeader_is400() throws Exception {
    String request = "{\"inputs\":[" + binaryInput("x", "FP32", "[1]", 4) + "]}";

    Answer answer = http.postRaw(INFER, null, request.getBytes());

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.error()).contains("has no Inference-Header-Content-Length header");
  }

  @Test
  void oversizedBody_is413() throws Exception {
    Answer answer = http.postRaw(INFER, null, new byte[(int) MAX_BODY + 1]);

    assertThat(answer.status()).isEqualTo(413);
    assertThat(answer.error())
        .isEqualTo("the request body is larger than server.maxBodyBytes (65536 bytes)");
  }
}
