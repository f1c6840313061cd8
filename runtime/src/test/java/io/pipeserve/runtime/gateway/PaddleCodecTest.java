package io.pipeserve.runtime.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.pipeserve.proto.paddle.Request;
import io.pipeserve.proto.paddle.Response;
import io.pipeserve.runtime.error.ErrorCode;
import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.tensor.DType;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PaddleCodecTest {

  static Stream<Arguments> tensorsOfEveryType() {
    return Stream.of(
        Arguments.of(new Tensor(DType.INT64, new long[] {2}, new long[] {Long.MIN_VALUE, 7})),
        Arguments.of(new Tensor(DType.FP32, new long[] {2, 2}, new float[] {1.5f, -2, 0, 3e9f})),
        Arguments.of(new Tensor(DType.INT32, new long[] {3}, new int[] {-1, 0, Integer.MAX_VALUE})),
        Arguments.of(new Tensor(DType.FP64, new long[] {1}, new double[] {Math.PI})),
        Arguments.of(
            new Tensor(
                DType.INT16, new long[] {2}, new short[] {Short.MIN_VALUE, Short.MAX_VALUE})),
        // 1.0, -2.0, 65504 (largest half), smallest subnormal, +infinity
        Arguments.of(
            new Tensor(
                DType.FP16,
                new long[] {5},
                new short[] {0x3c00, (short) 0xc000, 0x7bff, 0x0001, 0x7c00})),
        Arguments.of(new Tensor(DType.BF16, new long[] {2}, new short[] {0x3f80, (short) 0xc000})),
        Arguments.of(new Tensor(DType.UINT8, new long[] {3}, new byte[] {0, 127, (byte) 255})),
        Arguments.of(new Tensor(DType.INT8, new long[] {2}, new byte[] {-128, 127})),
        Arguments.of(new Tensor(DType.BOOL, new long[] {2}, new boolean[] {true, false})),
        Arguments.of(new Tensor(DType.STRING, new long[] {2}, new String[] {"a", "文字"})),
        Arguments.of(new Tensor(DType.BYTES, new long[] {1}, new byte[][] {{1, 2, 3}})),
        Arguments.of(new Tensor(DType.FP32, new long[] {}, new float[] {42})));
  }

  @ParameterizedTest
  @MethodSource("tensorsOfEveryType")
  void tensor_roundTripsThroughTheWireWithItsElemType(Tensor tensor) {
    Response response = PaddleCodec.toResponse(sample(Map.of("t", tensor)));
    assertThat(response.getTensors(0).getElemType()).isEqualTo(tensor.dtype().paddleCode());

    Request request = Request.newBuilder().addAllTensors(response.getTensorsList()).build();
    Tensor back = (Tensor) PaddleCodec.toFields(request).get("t");

    assertThat(back.dtype()).isEqualTo(tensor.dtype());
    assertThat(back.shape()).isEqualTo(tensor.shape());
    assertThat(back.data()).isEqualTo(tensor.data());
  }

  @Test
  void fp16_travelsAsFloatDataAndUint8AsUint32Data() {
    Response response =
        PaddleCodec.toResponse(
            sample(
                Map.of(
                    "h",
                    new Tensor(DType.FP16, new long[] {1}, new short[] {0x3e00}),
                    "u",
                    new Tensor(DType.UINT8, new long[] {1}, new byte[] {(byte) 200}))));

    assertThat(tensorNamed(response, "h").getFloatDataList()).containsExactly(1.5f);
    assertThat(tensorNamed(response, "u").getUint32DataList()).containsExactly(200);
  }

  @Test
  void keyValuePairs_becomeStringFieldsInOrder() {
    Request request =
        Request.newBuilder().addKey("b").addValue("2").addKey("a").addValue("1").build();

    assertThat(PaddleCodec.toFields(request))
        .containsExactly(Map.entry("b", "2"), Map.entry("a", "1"));
  }

  @Test
  void response_listsFieldsInInsertionOrder_objectsAsText() {
    Sample out = new Sample(1, 0, Map.of());
    out.put("z", "last-name-first")
        .put("n", 3)
        .put("list", List.of(1, 2))
        .put("ids", new int[] {4, 5});

    Response response = PaddleCodec.toResponse(out);

    assertThat(response.getErrNo()).isZero();
    assertThat(response.getKeyList()).containsExactly("z", "n", "list", "ids");
    assertThat(response.getValueList()).containsExactly("last-name-first", "3", "[1, 2]", "[4, 5]");
  }

  @Test
  void keyValueCountMismatch_isAnInputError() {
    Request request = Request.newBuilder().addKey("a").addKey("b").addValue("1").build();

    assertInputError(request, "got 2 keys and 1 values");
  }

  @Test
  void emptyKey_isAnInputError() {
    assertInputError(Request.newBuilder().addKey("").addValue("1").build(), "key[0] is empty");
  }

  @Test
  void tensorWithoutName_isAnInputError() {
    Request request =
        Request.newBuilder()
            .addTensors(wire("a", 1).addShape(1).addFloatData(1))
            .addTensors(wire("", 1).addShape(1).addFloatData(1))
            .build();

    assertInputError(request, "tensors[1] has no name");
  }

  @Test
  void repeatedName_isAnInputError() {
    Request request =
        Request.newBuilder()
            .addKey("x")
            .addValue("1")
            .addTensors(wire("x", 1).addShape(1).addFloatData(1))
            .build();

    assertInputError(request, "tensors[0] 'x': the name 'x' is given more than once");
  }

  @Test
  void dataNotMatchingShape_isAnInputErrorNamingBoth() {
    Request request =
        Request.newBuilder()
            .addTensors(wire("img", 1).addShape(2).addShape(3).addFloatData(1).addFloatData(2))
            .build();

    assertInputError(
        request, "tensors[0] 'img': shape [2, 3] needs 6 values but float_data", "has 2");
  }

  @Test
  void dataInTheFieldOfAnotherElemType_pointsAtElemType() {
    Request request =
        Request.newBuilder()
            .addTensors(wire("ids", 1).addShape(2).addInt64Data(1).addInt64Data(2))
            .build();

    assertInputError(request, "int64_data has 2 values; check elem_type");
  }

  @Test
  void negativeDimension_isAnInputError() {
    Request request = Request.newBuilder().addTensors(wire("t", 1).addShape(-1)).build();

    assertInputError(request, "negative dimension");
  }

  @Test
  void unknownElemType_isATypeErrorListingTheSupportedOnes() {
    Request request = Request.newBuilder().addTensors(wire("c", 10).addShape(1)).build();

    assertThatThrownBy(() -> PaddleCodec.toFields(request))
        .isInstanceOfSatisfying(
            PipelineException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TYPE_ERROR))
        .hasMessageContaining("tensors[0] 'c': elem_type 10 is not supported")
        .hasMessageContaining("1 FP32");
  }

  @Test
  void valueOutsideTheElemTypesRange_isATypeError() {
    Request request =
        Request.newBuilder()
            .addTensors(wire("px", 7).addShape(2).addUint32Data(3).addUint32Data(256))
            .build();

    assertThatThrownBy(() -> PaddleCodec.toFields(request))
        .isInstanceOfSatisfying(
            PipelineException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TYPE_ERROR))
        .hasMessageContaining("tensors[0] 'px': value 256 at index 1 is outside [0, 255]");
  }

  @Test
  void bytesTensorWithManyElements_isAnInputError() {
    Request request =
        Request.newBuilder()
            .addTensors(wire("b", 13).addShape(2).setByteData(ByteString.copyFromUtf8("xy")))
            .build();

    assertInputError(request, "must hold one element");
  }

  @Test
  void errorResponse_carriesErrNoAndMessage() {
    Response response = PaddleCodec.errorResponse(PipelineException.product(61, "no text found"));

    assertThat(response.getErrNo()).isEqualTo(61);
    assertThat(response.getErrMsg()).isEqualTo("no text found");
  }

  private static io.pipeserve.proto.paddle.Tensor.Builder wire(String name, int elemType) {
    return io.pipeserve.proto.paddle.Tensor.newBuilder().setName(name).setElemType(elemType);
  }

  private static io.pipeserve.proto.paddle.Tensor tensorNamed(Response response, String name) {
    return response.getTensorsList().stream()
        .filter(t -> t.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static Sample sample(Map<String, Object> fields) {
    return new Sample(1, 0, fields);
  }

  private static void assertInputError(Request request, String... messageParts) {
    assertThatThrownBy(() -> PaddleCodec.toFields(request))
        .isInstanceOfSatisfying(
            PipelineException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INPUT_PARAMS_ERROR))
        .message()
        .contains(messageParts);
  }
}
