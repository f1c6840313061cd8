package io.pipeserve.bench.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeserve.proto.paddle.Response;
import io.pipeserve.proto.paddle.Tensor;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class ErrNoTest {
  @Test
  void json_readsErrNoWhereverItIs() {
    assertThat(ErrNo.fromJson(Buffer.buffer("{\"err_no\":0,\"err_msg\":\"\"}"))).isZero();
    assertThat(ErrNo.fromJson(Buffer.buffer("{\"key\":[], \"err_no\" :  3001 }"))).isEqualTo(3001);
    assertThat(ErrNo.fromJson(Buffer.buffer("{\"err_no\":-1}"))).isEqualTo(-1);
  }

  @Test
  void json_withoutErrNo_isAbsent() {
    assertThat(ErrNo.fromJson(Buffer.buffer("{\"ok\":true}"))).isEqualTo(ErrNo.ABSENT);
    assertThat(ErrNo.fromJson(Buffer.buffer("\"err_no\""))).isEqualTo(ErrNo.ABSENT);
  }

  @Test
  void proto_readsErrNoOfAResponseWithTensors() {
    Response r =
        Response.newBuilder()
            .setErrNo(51)
            .setErrMsg("product error")
            .addKey("k")
            .addTensors(Tensor.newBuilder().addFloatData(1f).addShape(1).setElemType(1))
            .build();
    assertThat(ErrNo.fromProto(Buffer.buffer(r.toByteArray()))).isEqualTo(51);
  }

  @Test
  void proto_skipsFieldsBeforeErrNo() {
    // Serializers write fields in number order, but the wire format allows any order.
    Buffer reordered =
        Buffer.buffer(Response.newBuilder().addKey("k").build().toByteArray())
            .appendBuffer(Buffer.buffer(Response.newBuilder().setErrNo(7).build().toByteArray()));
    assertThat(ErrNo.fromProto(reordered)).isEqualTo(7);
  }

  @Test
  void proto_successOmitsErrNo() {
    Response ok = Response.newBuilder().addKey("k").addValue("v").build();
    assertThat(ErrNo.fromProto(Buffer.buffer(ok.toByteArray()))).isEqualTo(ErrNo.ABSENT);
  }
}
