package io.pipeserve.runtime.predictor.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.pipeserve.proto.inference.InferTensorContents;
import io.pipeserve.runtime.tensor.DType;
import io.pipeserve.runtime.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OipTensorsTest {
  static Stream<Tensor> everyType() {
    long[] shape = {2, 2};
    return Stream.of(
        new Tensor(DType.BOOL, shape, new boolean[] {true, false, false, true}),
        new Tensor(DType.UINT8, shape, new byte[] {0, 1, (byte) 200, (byte) 255}),
        new Tensor(DType.INT8, shape, new byte[] {-128, -1, 0, 127}),
        new Tensor(DType.INT16, shape, new short[] {Short.MIN_VALUE, -1, 1, Short.MAX_VALUE}),
        new Tensor(DType.INT32, shape, new int[] {Integer.MIN_VALUE, -1, 1, Integer.MAX_VALUE}),
        new Tensor(DType.INT64, shape, new long[] {Long.MIN_VALUE, -1, 1, Long.MAX_VALUE}),
        new Tensor(DType.FP16, shape, new short[] {0x3c00, (short) 0xbc00, 0x7c00, 0}),
        new Tensor(DType.BF16, shape, new short[] {0x3f80, (short) 0xbf80, 0x7f80, 0}),
        new Tensor(DType.FP32, shape, new float[] {-1.5f, 0f, Float.MIN_VALUE, Float.NaN}),
        new Tensor(DType.FP64, shape, new double[] {-1.5, 0, Double.MAX_VALUE, 1e-300}),
        new Tensor(
            DType.BYTES,
            shape,
            new byte[][] {{}, {1}, {2, 3}, "é".getBytes(StandardCharsets.UTF_8)}));
  }

  @ParameterizedTest
  @MethodSource("everyType")
  void everyType_roundTripsThroughTheRawForm(Tensor t) {
    String datatype = OipTensors.datatype(t.dtype());

    Tensor back = OipTensors.fromRaw(OipTensors.dtype(datatype), t.shape(), OipTensors.raw(t));

    assertThat(datatype).isEqualTo(t.dtype().name());
    assertThat(back.dtype()).isEqualTo(t.dtype());
    assertThat(back.shape()).isEqualTo(t.shape());
    assertThat(back.data()).isEqualTo(t.data());
  }

  @Test
  void raw_isPackedLittleEndian() {
    ByteString raw = OipTensors.raw(Tensor.of(new int[] {1, 0x01020304}, 2));

    assertThat(raw.toByteArray()).containsExactly(1, 0, 0, 0, 4, 3, 2, 1);
  }

  @Test
  void strings_travelAsBytes_eachPrecededByItsLittleEndianLength() {
    Tensor t = Tensor.ofStrings("ab", "");

    assertThat(OipTensors.datatype(t.dtype())).isEqualTo("BYTES");
    assertThat(OipTensors.raw(t).toByteArray()).containsExactly(2, 0, 0, 0, 'a', 'b', 0, 0, 0, 0);
  }

  @Test
  void unknownDatatypes_haveNoType() {
    assertThat(List.of("fp32", "FP8", ""))
        .allSatisfy(name -> assertThat(OipTensors.dtype(name)).isNull());
    assertThat(OipTensors.dtype("UINT64")).isEqualTo(DType.UINT64);
  }

  @Test
  void rawOfTheWrongSize_isRefusedSayingWhy() {
    ByteString eight = ByteString.copyFrom(new byte[8]);

    assertThatThrownBy(() -> OipTensors.fromRaw(DType.FP32, new long[] {1, 3}, eight))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "raw data: 8 bytes of data do not match shape [1, 3] of FP32, which takes 12 bytes");
  }

  @Test
  void bytesElementLongerThanTheRest_isRefused() {
    ByteString raw = ByteString.copyFrom(new byte[] {9, 0, 0, 0, 1});

    assertThatThrownBy(() -> OipTensors.fromRaw(DType.BYTES, new long[] {1}, raw))
        .hasMessage("raw data: BYTES element 0 says it has 9 bytes but only 1 remain");
  }

  @Test
  void typedContents_areRead() {
    InferTensorContents c =
        InferTensorContents.newBuilder()
            .addIntContents(-3)
            .addIntContents(4)
            .addUintContents(250)
            .addUintContents(7)
            .addInt64Contents(1L << 40)
            .addInt64Contents(-1)
            .addBoolContents(true)
            .addBoolContents(false)
            .addBytesContents(ByteString.copyFromUtf8("hi"))
            .addBytesContents(ByteString.EMPTY)
            .build();
    long[] shape = {2};

    assertThat(OipTensors.fromContents(DType.INT32, shape, c).ints()).containsExactly(-3, 4);
    assertThat(OipTensors.fromContents(DType.INT8, shape, c).bytes()).containsExactly(-3, 4);
    assertThat(OipTensors.fromContents(DType.UINT8, shape, c).bytes())
        .containsExactly((byte) 250, 7);
    assertThat(OipTensors.fromContents(DType.INT64, shape, c).longs())
        .containsExactly(1L << 40, -1);
    assertThat((boolean[]) OipTensors.fromContents(DType.BOOL, shape, c).data())
        .containsExactly(true, false);
    assertThat((byte[][]) OipTensors.fromContents(DType.BYTES, shape, c).data())
        .isEqualTo(new byte[][] {{'h', 'i'}, {}});
  }

  @Test
  void typedContentsOfTheWrongCount_areRefused() {
    InferTensorContents c = InferTensorContents.newBuilder().addFp32Contents(1f).build();

    assertThatThrownBy(() -> OipTensors.fromContents(DType.FP32, new long[] {1, 3}, c))
        .hasMessage("contents: shape [1, 3] holds 3 elements but contents.fp32_contents has 1");
  }

  @Test
  void halfFloats_haveNoTypedContents() {
    assertThatThrownBy(
            () ->
                OipTensors.fromContents(
                    DType.FP16, new long[] {1}, InferTensorContents.getDefaultInstance()))
        .hasMessage("contents: FP16 has no typed contents field; send it in raw_input_contents");
  }
}
