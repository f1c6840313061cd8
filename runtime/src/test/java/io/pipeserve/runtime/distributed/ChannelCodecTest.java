package io.pipeserve.runtime.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.pipeserve.proto.channel.DataType;
import io.pipeserve.proto.channel.Field;
import io.pipeserve.runtime.error.ErrorCode;
import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.tensor.DType;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelCodecTest {

  @Test
  void everyKindOfField_crossesTheHopUnchanged() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("text", "héllo");
    fields.put("f32", Tensor.of(new float[] {1.5f, -2f, 3.25f, 0f, 7f, 8f}, 2, 3));
    fields.put("i64", Tensor.of(new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}, 3));
    fields.put("i32", Tensor.of(new int[] {-1, 2}, 2, 1));
    fields.put("f64", new Tensor(DType.FP64, new long[] {2}, new double[] {Math.PI, -0.0}));
    fields.put("f16", new Tensor(DType.FP16, new long[] {2}, new short[] {0x3c00, (short) 0xc000}));
    fields.put("u8", new Tensor(DType.UINT8, new long[] {3}, new byte[] {0, (byte) 255, 7}));
    fields.put("bool", new Tensor(DType.BOOL, new long[] {3}, new boolean[] {true, false, true}));
    fields.put("str", Tensor.ofStrings("a", "ß", ""));
    fields.put("bytes", new Tensor(DType.BYTES, new long[] {1}, new byte[][] {{1, 2, 3}}));
    fields.put("scalar", Tensor.of(new float[] {42f}));
    fields.put("empty", Tensor.of(new float[0], 0, 4));
    fields.put(
        "crops", List.of(Tensor.of(new float[] {1, 2}, 1, 2), Tensor.of(new float[] {3}, 1, 1)));

    Map<String, Object> back = ChannelCodec.decode(ChannelCodec.encode(fields, "rec"));

    assertThat(back).containsOnlyKeys(fields.keySet()).containsEntry("text", "héllo");
    fields.forEach(
        (name, value) -> {
          if (value instanceof Tensor t) {
            assertSameTensor((Tensor) back.get(name), t);
          }
        });
    @SuppressWarnings("unchecked")
    List<Tensor> crops = (List<Tensor>) back.get("crops");
    assertThat(crops).hasSize(2);
    assertSameTensor(crops.get(1), Tensor.of(new float[] {3}, 1, 1));
  }

  @Test
  void fixedSizeElements_travelAsLittleEndianBytes() {
    Field wire = ChannelCodec.encode(Map.of("x", Tensor.of(new int[] {1, 256}, 2)), "op").get(0);

    assertThat(wire.getTensor().getDatatype()).isEqualTo(DataType.INT32);
    assertThat(wire.getTensor().getRaw().toByteArray()).containsExactly(1, 0, 0, 0, 0, 1, 0, 0);
  }

  @Test
  void fieldThatIsNoStringOrTensor_cannotCross_andTheErrorNamesIt() {
    assertThatThrownBy(() -> ChannelCodec.encode(Map.of("boxes", new Object()), "rec"))
        .isInstanceOf(PipelineException.class)
        .hasMessageStartingWith(
            "field 'boxes' is a java.lang.Object, which cannot cross to op 'rec'");
  }

  @Test
  void rawBytesThatDoNotFitTheShape_areAMalformedMessage() {
    Field wire =
        Field.newBuilder()
            .setName("x")
            .setTensor(
                io.pipeserve.proto.channel.Tensor.newBuilder()
                    .setDatatype(DataType.FP32)
                    .addShape(2)
                    .setRaw(ByteString.copyFrom(new byte[4])))
            .build();

    assertThatThrownBy(() -> ChannelCodec.decode(List.of(wire)))
        .isInstanceOf(PipelineException.class)
        .hasMessage("field 'x': shape [2] of FP32 needs 8 bytes, got 4")
        .extracting(e -> ((PipelineException) e).code())
        .isEqualTo(ErrorCode.RPC_PACKAGE_ERROR);
  }

  @Test
  void errors_keepTheirCode_andProductErrorsTheirErrNo() {
    PipelineException timeout =
        ChannelCodec.decode(ChannelCodec.encode(new PipelineException(ErrorCode.TIMEOUT, "late")));
    PipelineException product =
        ChannelCodec.decode(ChannelCodec.encode(PipelineException.product(55, "no text")));

    assertThat(timeout.code()).isEqualTo(ErrorCode.TIMEOUT);
    assertThat(timeout).hasMessage("late");
    assertThat(product.isProductError()).isTrue();
    assertThat(product.errNo()).isEqualTo(55);
  }

  private static void assertSameTensor(Tensor actual, Tensor expected) {
    assertThat(actual.dtype()).isEqualTo(expected.dtype());
    assertThat(actual.shape()).isEqualTo(expected.shape());
    assertThat(actual.data()).isEqualTo(expected.data());
  }
}
