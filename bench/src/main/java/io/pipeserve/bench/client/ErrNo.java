package io.pipeserve.bench.client;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Finds Paddle's {@code err_no} in a response without decoding all of it: the generator reads every
 * answer, and a full JSON or protobuf parse of tensors would cost more CPU than the server under
 * test spends on them.
 */
public final class ErrNo {
  /** What the scans return when the response has no err_no (proto3 omits a 0). */
  public static final int ABSENT = Integer.MIN_VALUE;

  private static final byte[] JSON_KEY = "\"err_no\"".getBytes(StandardCharsets.US_ASCII);
  private static final int PROTO_FIELD = 1; // Response.err_no

  private ErrNo() {}

  /** The err_no of a Paddle JSON body, or {@link #ABSENT}. */
  public static int fromJson(Buffer body) {
    int at = indexOf(body, JSON_KEY);
    if (at < 0) {
      return ABSENT;
    }
    int i = skipBlanks(body, at + JSON_KEY.length);
    if (i >= body.length() || body.getByte(i) != ':') {
      return ABSENT;
    }
    i = skipBlanks(body, i + 1);
    boolean negative = i < body.length() && body.getByte(i) == '-';
    if (negative) {
      i++;
    }
    long value = 0;
    int digits = 0;
    for (; i < body.length() && digits < 10; i++, digits++) {
      byte b = body.getByte(i);
      if (b < '0' || b > '9') {
        break;
      }
      value = value * 10 + (b - '0');
    }
    return digits == 0 ? ABSENT : (int) (negative ? -value : value);
  }

  /** The err_no of a serialized Paddle {@code Response}, or {@link #ABSENT} when it is 0. */
  public static int fromProto(Buffer message) {
    int[] pos = {0};
    while (pos[0] < message.length()) {
      long tag = varint(message, pos);
      if (tag < 0) {
        return ABSENT;
      }
      int field = (int) (tag >>> 3);
      int wireType = (int) (tag & 7);
      if (field == PROTO_FIELD && wireType == 0) {
        return (int) varint(message, pos);
      }
      switch (wireType) {
        case 0 -> varint(message, pos);
        case 1 -> pos[0] += 8;
        case 2 -> {
          int length = (int) varint(message, pos); // read before pos[0] is, as it moves it
          pos[0] += length;
        }
        case 5 -> pos[0] += 4;
        default -> {
          return ABSENT;
        }
      }
    }
    return ABSENT;
  }

  private static long varint(Buffer b, int[] pos) {
    long result = 0;
    for (int shift = 0; shift < 64 && pos[0] < b.length(); shift += 7) {
      byte x = b.getByte(pos[0]++);
      result |= (long) (x & 0x7f) << shift;
      if (x >= 0) {
        return result;
      }
    }
    return -1;
  }

  private static int skipBlanks(Buffer b, int i) {
    while (i < b.length() && Character.isWhitespace(b.getByte(i))) {
      i++;
    }
    return i;
  }

  private static int indexOf(Buffer b, byte[] key) {
    int last = b.length() - key.length;
    outer:
    for (int i = 0; i <= last; i++) {
      for (int j = 0; j < key.length; j++) {
        if (b.getByte(i + j) != key[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
