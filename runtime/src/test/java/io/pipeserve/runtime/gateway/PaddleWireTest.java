package io.pipeserve.runtime.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.pipeserve.proto.paddle.Request;
import io.pipeserve.proto.paddle.Response;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.tensor.DType;
import io.pipeserve.runtime.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PaddleWireTest {

  static Stream<Tensor> tensorsOfEveryType() {
    return PaddleCodecTest.tensorsOfEveryType().map(arguments -> (Tensor) arguments.get()[0]);
  }

  @ParameterizedTest
  @MethodSource("tensorsOfEveryType")
  void everyTensorType_readsAsProtobufJavaReadsIt(Tensor tensor) throws Exception {
    Request request = requestWith(Map.of("t", tensor));

    assertSameFields(request.toByteArray(), request);
  }

  @Test
  void keysValuesAndSeveralTensors_keepTheirOrderAndData() throws Exception {
    Map<String, Object> tensors = new LinkedHashMap<>();
    tensors.put("image", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 1, 2, 3));
    tensors.put("ids", Tensor.of(new long[] {7, 8}, 2));
    tensors.put("scale", new Tensor(DType.FP64, new long[] {2}, new double[] {0.5, -1e300}));
    tensors.put("crop", Tensor.of(new float[] {-0f, Float.NaN}, 2));
    Request request =
        requestWith(tensors).toBuilder()
            .addKey("text")
            .addValue("hello")
            .setLogid(42)
            .setName("ocr")
            .build();

    assertSameFields(request.toByteArray(), request);
    assertThat(PaddleWire.parse(request.toByteArray()).request().getLogid()).isEqualTo(42);
  }

  @Test
  void floatsSentUnpacked_orInSeveralBlocks_readAsOneArray() throws Exception {
    ByteArrayOutputStream tensor = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(tensor);
    out.writeFloat(2, 1.5f); // float_data, two unpacked elements
    out.writeFloat(2, 2.5f);
    out.writeByteArray(2, littleEndianFloats(3.5f, 4.5f)); // then a packed block
    out.writeInt32(20, DType.FP32.paddleCode());
    out.writeByteArray(21, new byte[] {4}); // shape [4], packed
    out.writeString(23, "x");
    out.flush();
    byte[] request = requestBytes(tensor.toByteArray());

    Tensor x = (Tensor) PaddleCodec.toFields(PaddleWire.parse(request)).get("x");

    assertThat(x.floats()).containsExactly(1.5f, 2.5f, 3.5f, 4.5f);
    assertSameFields(request, Request.parseFrom(request));
  }

  @Test
  void truncatedMessage_isInvalid() {
    byte[] bytes = requestWith(Map.of("t", Tensor.of(new float[] {1, 2, 3}, 3))).toByteArray();
    byte[] truncated = Arrays.copyOf(bytes, bytes.length - 5);

    assertThatThrownBy(() -> PaddleWire.parse(truncated))
        .isInstanceOf(InvalidProtocolBufferException.class);
  }

  @Test
  void floatBlockOfPartialElements_isInvalidNamingTheField() throws Exception {
    ByteArrayOutputStream tensor = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(tensor);
    out.writeByteArray(2, new byte[] {1, 2, 3, 4, 5, 6});
    out.flush();

    assertThatThrownBy(() -> PaddleWire.parse(requestBytes(tensor.toByteArray())))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessageContaining("Tensor.float_data: a packed block of 6 bytes is not whole elements");
  }

  @Test
  void floatCountNotMatchingTheShape_isTheSameInputErrorAsBefore() throws Exception {
    Request request =
        Request.newBuilder()
            .addTensors(
                io.pipeserve.proto.paddle.Tensor.newBuilder()
                    .setName("x")
                    .setElemType(DType.INT64.paddleCode())
                    .addShape(2)
                    .addFloatData(1)
                    .addFloatData(2))
            .build();
    String viaProtobuf = inputError(() -> PaddleCodec.toFields(request));

    String viaWire =
        inputError(() -> PaddleCodec.toFields(PaddleWire.parse(request.toByteArray())));

    assertThat(viaWire).isEqualTo(viaProtobuf).contains("float_data has 2 values; check elem_type");
  }

  private interface Decode {
    Object run() throws Exception;
  }

  private static String inputError(Decode decode) {
    try {
      decode.run();
    } catch (Exception e) {
      return e.getMessage();
    }
    throw new AssertionError("expected an input error");
  }

  private static void assertSameFields(byte[] bytes, Request request) throws Exception {
    Map<String, Object> expected = PaddleCodec.toFields(request);
    Map<String, Object> actual = PaddleCodec.toFields(PaddleWire.parse(bytes));
    assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
    for (String key : expected.keySet()) {
      if (expected.get(key) instanceof Tensor t) {
        Tensor a = (Tensor) actual.get(key);
        assertThat(a.dtype()).as(key).isEqualTo(t.dtype());
        assertThat(a.shape()).as(key).isEqualTo(t.shape());
        assertThat(a.data()).as(key).isEqualTo(t.data());
      } else {
        assertThat(actual.get(key)).as(key).isEqualTo(expected.get(key));
      }
    }
  }

  private static Request requestWith(Map<String, Object> tensors) {
    Response response = PaddleCodec.toResponse(new Sample(1, 0, tensors));
    return Request.newBuilder().addAllTensors(response.getTensorsList()).build();
  }

  private static byte[] requestBytes(byte[] tensor) throws Exception {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(request);
    out.writeBytes(3, ByteString.copyFrom(tensor));
    out.flush();
    return request.toByteArray();
  }

  private static byte[] littleEndianFloats(float... values) {
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.allocate(values.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    return b.array();
  }
}
