package io.pipeserve.runtime.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipeserve.proto.paddle.Request;
import io.pipeserve.proto.paddle.Response;
import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.tensor.DType;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The unsigned types Paddle has no elem_type for (UINT16, UINT32, UINT64, which Open Inference
 * Protocol clients send) reach Paddle clients widened to a signed type that holds every value.
 */
class PaddleUnsignedTypesTest {

  private static io.pipeserve.proto.paddle.Tensor sent(Tensor tensor) {
    Response response = PaddleCodec.toResponse(new Sample(1, 0, Map.of("t", tensor)));
    return response.getTensors(0);
  }

  @Test
  void uint16_goesOutAsInt32() {
    io.pipeserve.proto.paddle.Tensor wire =
        sent(new Tensor(DType.UINT16, new long[] {2}, new short[] {(short) 65535, 1}));

    assertThat(wire.getElemType()).isEqualTo(DType.INT32.paddleCode());
    assertThat(wire.getIntDataList()).containsExactly(65535, 1);
  }

  @Test
  void uint32_goesOutAsInt64() {
    io.pipeserve.proto.paddle.Tensor wire =
        sent(new Tensor(DType.UINT32, new long[] {1}, new int[] {-1}));

    assertThat(wire.getElemType()).isEqualTo(DType.INT64.paddleCode());
    assertThat(wire.getInt64DataList()).containsExactly(4294967295L);
  }

  @Test
  void uint64BeyondInt64_cannotBeSent() {
    assertThatThrownBy(() -> sent(new Tensor(DType.UINT64, new long[] {1}, new long[] {-1})))
        .isInstanceOf(PipelineException.class)
        .hasMessage("output 't': UINT64 value 18446744073709551615 does not fit Paddle's INT64");
  }

  @Test
  void noElemTypeMeansUnsigned_minusOneIsStillUnknown() {
    Request request =
        Request.newBuilder()
            .addTensors(io.pipeserve.proto.paddle.Tensor.newBuilder().setName("t").setElemType(-1))
            .build();

    assertThatThrownBy(() -> PaddleCodec.toFields(request))
        .hasMessageStartingWith("tensors[0] 't': elem_type -1 is not supported")
        .hasMessageNotContaining("UINT16");
  }
}
