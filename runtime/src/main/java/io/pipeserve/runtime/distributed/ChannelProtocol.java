package io.pipeserve.runtime.distributed;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;

/**
 * What both ends of the channel service agree on: the method, its metadata, and the transport
 * settings. Messages travel as bytes that each end parses and writes itself, off the event loop
 * where it can: a tensor's bytes are copied on the thread that has them, not on the loop that
 * serves every stream.
 */
final class ChannelProtocol {
  static final ServiceName SERVICE = ServiceName.create("pipeserve.channel", "ChannelService");
  static final String METHOD = "Exchange";

  /** Request metadata: the op the gateway means to reach. */
  static final String OP_HEADER = "pipeserve-op";

  static final ServiceMethod<Buffer, Buffer> SERVER_METHOD =
      ServiceMethod.server(
          SERVICE, METHOD, GrpcMessageEncoder.IDENTITY, GrpcMessageDecoder.IDENTITY);

  static final ServiceMethod<Buffer, Buffer> CLIENT_METHOD =
      ServiceMethod.client(
          SERVICE, METHOD, GrpcMessageEncoder.IDENTITY, GrpcMessageDecoder.IDENTITY);

  // A preprocessed sample can be far larger than the request it came from (an image resized to
  // FP32): the limit is protobuf's own, not a request body's.
  static final long MAX_MESSAGE_BYTES = 1L << 30;

  // HTTP/2's default 64 KiB window would stall every large tensor on a round trip per 64 KiB;
  // each stream carries a window of samples, so it gets room for several.
  private static final int STREAM_WINDOW_BYTES = 4 << 20;
  private static final int CONNECTION_WINDOW_BYTES = 32 << 20;

  // A replica that is gone without closing its sockets (a vanished host) must not hold a
  // gateway's reconnect attempt for the default minute.
  private static final int CONNECT_TIMEOUT_MS = 2_000;

  private ChannelProtocol() {}

  /**
   * Appends one entry of a repeated message field, as protobuf encodes it (tag, length, bytes), its
   * bytes given in parts: messages encoded on other threads are batched into one without being
   * parsed again.
   *
   * @param field a field number below 16 (one byte of tag)
   */
  static void appendEntry(Buffer out, int field, byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    out.appendByte((byte) (field << 3 | 2)); // wire type 2: length-delimited
    while ((length & ~0x7f) != 0) {
      out.appendByte((byte) ((length & 0x7f) | 0x80));
      length >>>= 7;
    }
    out.appendByte((byte) length);
    for (byte[] part : parts) {
      out.appendBytes(part);
    }
  }

  static HttpClientOptions clientOptions() {
    return new HttpClientOptions()
        .setHttp2ClearTextUpgrade(false)
        .setConnectTimeout(CONNECT_TIMEOUT_MS)
        .setInitialSettings(new Http2Settings().setInitialWindowSize(STREAM_WINDOW_BYTES))
        .setHttp2ConnectionWindowSize(CONNECTION_WINDOW_BYTES);
  }

  static HttpServerOptions serverOptions() {
    return new HttpServerOptions()
        .setHttp2ClearTextEnabled(true)
        .setInitialSettings(new Http2Settings().setInitialWindowSize(STREAM_WINDOW_BYTES))
        .setHttp2ConnectionWindowSize(CONNECTION_WINDOW_BYTES);
  }
}
