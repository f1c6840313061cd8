package io.pipeserve.runtime.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.pipeserve.proto.paddle.Request;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses Paddle's {@code Request} from its protobuf bytes, taking each tensor's {@code float_data}
 * and {@code float64_data} in bulk. protobuf-java decodes a packed float field one element at a
 * time into a growing list (about 400 µs for one 3×48×192 crop); read as a little-endian block it
 * is one copy (about 20 µs). Every other field is parsed by protobuf-java as usual.
 */
public final class PaddleWire {
  private static final int REQUEST_TENSORS = 3;
  private static final int TENSOR_FLOAT_DATA = 2;
  private static final int TENSOR_FLOAT64_DATA = 4;

  private PaddleWire() {}

  /**
   * A parsed request: the message without its tensors' float and double data, and that data per
   * tensor, in the order of {@code request.getTensorsList()}.
   */
  public record Parsed(Request request, List<PackedData> packed) {}

  /**
   * One tensor's {@code float_data} and {@code float64_data}; an array is empty when the field was
   * absent.
   */
  public record PackedData(float[] floats, double[] doubles) {}

  /**
   * @throws InvalidProtocolBufferException when the bytes are not a valid Request
   */
  public static Parsed parse(byte[] bytes) throws InvalidProtocolBufferException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    ByteString.Output rest = ByteString.newOutput(Math.min(bytes.length, 4096));
    CodedOutputStream out = CodedOutputStream.newInstance(rest);
    List<PackedData> packed = new ArrayList<>();
    try {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (WireFormat.getTagFieldNumber(tag) == REQUEST_TENSORS
            && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          int limit = in.pushLimit(in.readRawVarint32());
          TensorParts tensor = readTensor(in);
          in.popLimit(limit);
          out.writeBytes(REQUEST_TENSORS, tensor.rest());
          packed.add(tensor.packed());
        } else {
          in.skipField(tag, out);
        }
      }
      out.flush();
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      // Only the in-memory output can throw here, and it does not.
      throw new UncheckedIOException(e);
    }
    return new Parsed(Request.parseFrom(rest.toByteString()), packed);
  }

  private record TensorParts(ByteString rest, PackedData packed) {}

  private static TensorParts readTensor(CodedInputStream in) throws IOException {
    ByteString.Output rest = ByteString.newOutput(64);
    CodedOutputStream out = CodedOutputStream.newInstance(rest);
    ByteString.Output floats = ByteString.newOutput(0);
    ByteString.Output doubles = ByteString.newOutput(0);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      int type = WireFormat.getTagWireType(tag);
      if (field == TENSOR_FLOAT_DATA && type == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        floats.write(block(in, Float.BYTES, "float_data"));
      } else if (field == TENSOR_FLOAT_DATA && type == WireFormat.WIRETYPE_FIXED32) {
        // A writer may also send the elements unpacked: kept as their little-endian bytes.
        floats.write(littleEndian(in.readRawLittleEndian32(), Integer.BYTES));
      } else if (field == TENSOR_FLOAT64_DATA && type == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        doubles.write(block(in, Double.BYTES, "float64_data"));
      } else if (field == TENSOR_FLOAT64_DATA && type == WireFormat.WIRETYPE_FIXED64) {
        doubles.write(littleEndian(in.readRawLittleEndian64(), Long.BYTES));
      } else {
        in.skipField(tag, out);
      }
    }
    out.flush();
    float[] f = new float[floats.size() / Float.BYTES];
    leBuffer(floats.toByteString()).asFloatBuffer().get(f);
    double[] d = new double[doubles.size() / Double.BYTES];
    leBuffer(doubles.toByteString()).asDoubleBuffer().get(d);
    return new TensorParts(rest.toByteString(), new PackedData(f, d));
  }

  private static byte[] block(CodedInputStream in, int elementBytes, String field)
      throws IOException {
    int length = in.readRawVarint32();
    if (length % elementBytes != 0) {
      throw new InvalidProtocolBufferException(
          "Tensor." + field + ": a packed block of " + length + " bytes is not whole elements");
    }
    return in.readRawBytes(length);
  }

  private static byte[] littleEndian(long bits, int bytes) {
    byte[] out = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      out[i] = (byte) (bits >>> (8 * i));
    }
    return out;
  }

  private static ByteBuffer leBuffer(ByteString bytes) {
    return bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }
}
