package io.pipeserve.runtime.gateway.http;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.pipeserve.proto.paddle.Request;
import io.pipeserve.proto.paddle.Response;
import io.pipeserve.runtime.error.ErrorCode;
import io.pipeserve.runtime.error.PipelineException;

/** The JSON mapping of Paddle's messages, with Paddle's snake_case keys on the way out. */
final class PaddleJson {
  // Both are immutable and thread-safe: shared by every event loop.
  private static final JsonFormat.Parser PARSER = JsonFormat.parser();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer()
          .preservingProtoFieldNames()
          .alwaysPrintFieldsWithNoPresence()
          .omittingInsignificantWhitespace();

  private PaddleJson() {}

  /**
   * Parses a request body. Text that is not JSON is a package error (RPC_PACKAGE_ERROR); JSON that
   * does not fit the Request message (an unknown key, a wrong type) is an input error.
   */
  static Request parseRequest(String body) {
    if (body == null || body.isBlank()) {
      throw new PipelineException(
          ErrorCode.RPC_PACKAGE_ERROR,
          "the request body is empty; send a JSON object such as"
              + " {\"key\": [\"x\"], \"value\": [\"1\"]}");
    }
    Request.Builder request = Request.newBuilder();
    try {
      PARSER.merge(body, request);
    } catch (InvalidProtocolBufferException e) {
      if (isSyntaxError(e)) {
        throw new PipelineException(
            ErrorCode.RPC_PACKAGE_ERROR, "the request body is not valid JSON: " + e.getMessage());
      }
      throw PipelineException.input(
          "the request body does not fit Paddle's Request: " + describe(e));
    }
    return request.build();
  }

  static String print(Response response) {
    try {
      return PRINTER.print(response);
    } catch (InvalidProtocolBufferException e) {
      // Only Any fields with unknown types fail to print; Response has none.
      throw new IllegalStateException(e);
    }
  }

  // JsonFormat reports malformed text through Gson's exceptions, and misfitting JSON through its
  // own; Gson is only on the runtime classpath, so it is recognised by package.
  private static boolean isSyntaxError(InvalidProtocolBufferException e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t.getClass().getName().startsWith("com.google.gson.")) {
        return true;
      }
    }
    return false;
  }

  private static String describe(InvalidProtocolBufferException e) {
    String message = e.getMessage();
    // JsonFormat names unknown keys with the full message type; say it in the client's terms.
    return message.replace("baidu.paddle_serving.pipeline_serving.", "");
  }
}
