package io.pipeserve.runtime.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Tensors made from the little-endian bytes of their elements, as they arrive on the wire. */
class TensorTest {

  private static ByteBuffer floats(float... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return b;
  }

  @Test
  void aByteBackedTensor_readsItsBytesAsTheArrayOfItsType() {
    Tensor t = Tensor.ofLittleEndian(DType.FP32, new long[] {2, 2}, floats(1, 2, 3, 4));

    assertThat(t.isByteBacked()).isTrue();
    assertThat(t.floats()).containsExactly(1, 2, 3, 4);
    assertThat(t.shape()).containsExactly(2, 2);
  }

  @Test
  void aByteBackedTensor_handsOutTheBytesItWasMadeFrom_notACopy() {
    byte[] wire = new byte[12];
    ByteBuffer bytes = ByteBuffer.wrap(wire, 4, 8);
    Tensor t = Tensor.ofLittleEndian(DType.INT32, new long[] {2}, bytes);

    ByteBuffer out = t.littleEndian();
    wire[4] = 9; // were it a copy, the tensor would not see this

    assertThat(out.remaining()).isEqualTo(8);
    assertThat(out.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
    assertThat(out.get(0)).isEqualTo((byte) 9);
    assertThat(out.hasArray()).isTrue(); // so encoders can wrap it rather than copy it
  }

  @Test
  void unsignedAndBoolBytes_readAsTheirTypes() {
    ByteBuffer u16 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 65535);
    u16.putShort((short) 2).flip();
    ByteBuffer bool = ByteBuffer.wrap(new byte[] {0, 1, 7});

    Tensor unsigned = Tensor.ofLittleEndian(DType.UINT16, new long[] {2}, u16);
    Tensor flags = Tensor.ofLittleEndian(DType.BOOL, new long[] {3}, bool);

    assertThat(Short.toUnsignedInt(((short[]) unsigned.data())[0])).isEqualTo(65535);
    assertThat((boolean[]) flags.data()).containsExactly(false, true, true);
  }

  @Test
  void anArrayTensor_givesItsElementsAsLittleEndianBytes() {
    Tensor t = Tensor.of(new long[] {1, -1}, 2);

    ByteBuffer bytes = t.littleEndian();

    assertThat(t.isByteBacked()).isFalse();
    assertThat(bytes.getLong(0)).isEqualTo(1);
    assertThat(bytes.getLong(8)).isEqualTo(-1);
    assertThat(bytes.remaining()).isEqualTo(16);
  }

  @Test
  void bytesNotMatchingTheShape_areRefused() {
    assertThatThrownBy(() -> Tensor.ofLittleEndian(DType.FP32, new long[] {3}, floats(1, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shape [3] of FP32 takes 12 bytes but 8 were given");
    assertThatThrownBy(
            () -> Tensor.ofLittleEndian(DType.BYTES, new long[] {1}, ByteBuffer.allocate(4)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("BYTES elements have no fixed size");
  }
}
