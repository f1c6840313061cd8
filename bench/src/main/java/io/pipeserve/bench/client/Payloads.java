package io.pipeserve.bench.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Request and response bodies given on the command line: {@code @file} or the text itself. */
public final class Payloads {
  private Payloads() {}

  /** The text of {@code arg}: the file's content when it starts with {@code @}. */
  public static String text(String arg) {
    if (!arg.startsWith("@")) {
      return arg;
    }
    Path file = Path.of(arg.substring(1));
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses proto JSON into {@code builder}. Both field spellings are accepted ({@code err_no} and
   * {@code errNo}), so a Paddle HTTP body is also a valid gRPC request.
   */
  public static <B extends Message.Builder> B parse(String json, B builder, String what) {
    try {
      JsonFormat.parser().merge(json, builder);
      return builder;
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(
          what
              + " is not the proto JSON of "
              + builder.getDescriptorForType().getFullName()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** The Paddle JSON form of a message: proto field names, zero values written out. */
  public static String json(Message message) {
    try {
      return JsonFormat.printer()
          .preservingProtoFieldNames()
          .alwaysPrintFieldsWithNoPresence()
          .omittingInsignificantWhitespace()
          .print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("cannot print " + message.getDescriptorForType(), e);
    }
  }
}
