package io.pipeserve.runtime.gateway.oip;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/** A plain HTTP client for the REST API, as a Triton or KServe HTTP client would call it. */
public final class OipHttp {
  public static final String HEADER_LENGTH = "Inference-Header-Content-Length";

  private final HttpClient client = HttpClient.newHttpClient();
  private final int port;

  public OipHttp(int port) {
    this.port = port;
  }

  /** An answer: its status, its JSON part and the binary data after it. */
  public record Answer(int status, String contentType, JsonObject json, byte[] binary) {
    /** The error message of an error answer. */
    public String error() {
      return json.getString("error");
    }

    public JsonObject output(int i) {
      return json.getJsonArray("outputs").getJsonObject(i);
    }
  }

  public Answer get(String path) throws IOException, InterruptedException {
    return answer(
        client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray()));
  }

  public Answer post(String path, String json) throws IOException, InterruptedException {
    return send(request(path).POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  /** A request with the binary-data extension: the JSON, then the binary data. */
  public Answer postBinary(String path, String json, byte[]... binary)
      throws IOException, InterruptedException {
    byte[] header = json.getBytes(StandardCharsets.UTF_8);
    return postRaw(path, Integer.toString(header.length), concat(header, binary));
  }

  /** A body sent as it is, with the header value given (null: no header). */
  public Answer postRaw(String path, String headerLength, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        request(path)
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (headerLength != null) {
      request.header(HEADER_LENGTH, headerLength);
    }
    return send(request.build());
  }

  private Answer send(HttpRequest request) throws IOException, InterruptedException {
    return answer(client.send(request, HttpResponse.BodyHandlers.ofByteArray()));
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
  }

  private static Answer answer(HttpResponse<byte[]> response) {
    byte[] body = response.body();
    Optional<String> headerLength = response.headers().firstValue(HEADER_LENGTH);
    int jsonLength = headerLength.map(Integer::parseInt).orElse(body.length);
    JsonObject json =
        jsonLength == 0
            ? new JsonObject()
            : new JsonObject(new String(body, 0, jsonLength, StandardCharsets.UTF_8));
    return new Answer(
        response.statusCode(),
        response.headers().firstValue("content-type").orElse(""),
        json,
        Arrays.copyOfRange(body, jsonLength, body.length));
  }

  private static byte[] concat(byte[] first, byte[]... more) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(first);
    for (byte[] m : more) {
      out.writeBytes(m);
    }
    return out.toByteArray();
  }
}
