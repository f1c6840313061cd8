package io.pipeserve.bench.baseline;

import io.pipeserve.bench.client.Payloads;
import io.pipeserve.proto.paddle.Response;
import io.vertx.core.buffer.Buffer;

/**
 * The fixed answer of the baseline server: the exact HTTP body bytes and the gRPC message a
 * pipeline would send, so both sides of a ratio move the same bytes.
 */
public record BaselineResponse(Buffer httpBody, Response grpcResponse) {
  /** A small successful Paddle answer, for when no real pipeline answer is at hand. */
  public static BaselineResponse defaults() {
    return of(Response.newBuilder().setErrNo(0).addKey("result").addValue("ok").build());
  }

  /** Both forms of {@code response}, the HTTP one as Paddle's JSON. */
  public static BaselineResponse of(Response response) {
    return new BaselineResponse(Buffer.buffer(Payloads.json(response)), response);
  }

  /**
   * A Paddle JSON answer, kept byte for byte for HTTP (as captured from a server) and parsed for
   * gRPC.
   */
  public static BaselineResponse ofJson(String paddleJson) {
    Response parsed =
        Payloads.parse(paddleJson, Response.newBuilder(), "the baseline response").build();
    return new BaselineResponse(Buffer.buffer(paddleJson), parsed);
  }
}
