package io.pipeserve.runtime.gateway.oip.grpc;

import com.google.protobuf.ByteOutput;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import com.google.protobuf.UnsafeByteOperations;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Messages to and from wire bytes without copying the tensors in them. Parsing aliases the received
 * bytes (a raw tensor becomes a view of the message it came in); answering appends each raw tensor
 * to the serialized message as its own wire field, so the tensor is copied once, when the frame is
 * written, as any message is. Protobuf allows a message's fields in any order, so an answer
 * serialized as its other fields followed by its {@code raw_output_contents} is the same message.
 *
 * <p>The received bytes are read in place because nothing else holds or changes them: Vert.x hands
 * a message over in unpooled heap buffers of its own.
 */
final class WireBytes {
  /** {@code ModelInferResponse.raw_output_contents}: field 6, length-delimited. */
  private static final int RAW_OUTPUT_CONTENTS = 6;

  /** {@code ModelStreamInferResponse.infer_response}: field 2, length-delimited. */
  private static final int INFER_RESPONSE = 2;

  private WireBytes() {}

  /**
   * Parses {@code bytes}; its byte fields are views of them.
   *
   * @throws InvalidProtocolBufferException when they are not a valid message
   */
  static <T> T parse(Parser<T> parser, Buffer bytes) throws InvalidProtocolBufferException {
    ByteBuf buf = bytes instanceof BufferInternal internal ? internal.getByteBuf() : null;
    ByteString wrapped =
        buf != null && buf.hasArray()
            ? UnsafeByteOperations.unsafeWrap(
                buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes())
            : UnsafeByteOperations.unsafeWrap(bytes.getBytes());
    // A wrapped ByteString reads as immutable, which is what lets the parser alias it.
    CodedInputStream in = wrapped.newCodedInput();
    in.enableAliasing(true);
    return parser.parseFrom(in);
  }

  /** The bytes of {@code s} as a buffer over them, not a copy: they must not be modified. */
  static ByteBuffer view(ByteString s) {
    ByteBuffer[] view = {null};
    try {
      UnsafeByteOperations.unsafeWriteTo(
          s,
          new ByteOutput() {
            @Override
            public void write(byte value) {
              throw new UnsupportedOperationException();
            }

            @Override
            public void write(byte[] value, int offset, int length) {
              writeLazy(value, offset, length);
            }

            @Override
            public void writeLazy(byte[] value, int offset, int length) {
              view[0] = ByteBuffer.wrap(value, offset, length);
            }

            @Override
            public void write(ByteBuffer value) {
              writeLazy(value);
            }

            @Override
            public void writeLazy(ByteBuffer value) {
              view[0] = value.slice();
            }
          });
    } catch (IOException | UnsupportedOperationException e) {
      view[0] = null;
    }
    // A ByteString made of several pieces (never one the parser aliased) is copied.
    return view[0] != null && view[0].remaining() == s.size() ? view[0] : s.asReadOnlyByteBuffer();
  }

  /** {@code header} (a ModelInferResponse without raw contents) followed by {@code raw}. */
  static Buffer modelInfer(MessageLite header, List<ByteBuffer> raw) {
    List<ByteBuf> parts = new ArrayList<>();
    parts.add(Unpooled.wrappedBuffer(header.toByteArray()));
    addRawFields(parts, raw);
    return compose(parts);
  }

  /** A ModelStreamInferResponse holding {@code header} with {@code raw} appended. */
  static Buffer streamInfer(MessageLite header, List<ByteBuffer> raw) {
    byte[] inner = header.toByteArray();
    long innerLength = inner.length;
    for (ByteBuffer r : raw) {
      innerLength += fieldSize(r.remaining());
    }
    List<ByteBuf> parts = new ArrayList<>();
    parts.add(Unpooled.wrappedBuffer(tagAndLength(INFER_RESPONSE, Math.toIntExact(innerLength))));
    parts.add(Unpooled.wrappedBuffer(inner));
    addRawFields(parts, raw);
    return compose(parts);
  }

  /** A message without raw parts. */
  static Buffer of(MessageLite message) {
    return Buffer.buffer(message.toByteArray());
  }

  private static void addRawFields(List<ByteBuf> parts, List<ByteBuffer> raw) {
    for (ByteBuffer r : raw) {
      parts.add(Unpooled.wrappedBuffer(tagAndLength(RAW_OUTPUT_CONTENTS, r.remaining())));
      parts.add(Unpooled.wrappedBuffer(r.duplicate()));
    }
  }

  private static long fieldSize(int length) {
    return CodedOutputStream.computeTagSize(RAW_OUTPUT_CONTENTS)
        + CodedOutputStream.computeUInt32SizeNoTag(length)
        + (long) length;
  }

  private static byte[] tagAndLength(int field, int length) {
    byte[] out =
        new byte
            [CodedOutputStream.computeTagSize(field)
                + CodedOutputStream.computeUInt32SizeNoTag(length)];
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    try {
      o.writeTag(field, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
      o.writeUInt32NoTag(length);
      o.flush();
    } catch (IOException e) {
      throw new IllegalStateException(e); // writing to an array of the exact size
    }
    return out;
  }

  private static Buffer compose(List<ByteBuf> parts) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(parts.toArray(new ByteBuf[0])));
  }
}
