package io.pipeserve.runtime.gateway.oip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipeserve.runtime.tensor.DType;
import io.pipeserve.runtime.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** BYTES in raw form: each element a 4-byte little-endian length, then its bytes. */
class RawTensorsTest {

  private static Tensor decode(long count, byte[] raw) {
    return RawTensors.decode(Datatype.BYTES, new long[] {count}, ByteBuffer.wrap(raw), "input 'b'");
  }

  @Test
  void bytesElements_areReadInOrder() {
    Tensor t = decode(2, Samples.bytesElements("ab", "ü"));

    byte[][] elements = (byte[][]) t.data();
    assertThat(new String(elements[0], StandardCharsets.UTF_8)).isEqualTo("ab");
    assertThat(new String(elements[1], StandardCharsets.UTF_8)).isEqualTo("ü");
  }

  @Test
  void anElementLongerThanWhatRemains_isRefused() {
    byte[] raw = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN).putInt(5).array();

    assertThatThrownBy(() -> decode(1, raw))
        .isInstanceOf(OipError.class)
        .hasMessage("input 'b': BYTES element 0 says it has 5 bytes but only 2 remain");
  }

  @Test
  void dataEndingBeforeALength_isRefused() {
    byte[] raw = Samples.bytesElements("abcd");

    assertThatThrownBy(() -> decode(2, raw))
        .isInstanceOf(OipError.class)
        .hasMessage("input 'b': the data ends before the length of BYTES element 1 of 2");
  }

  @Test
  void bytesLeftAfterTheElements_areRefused() {
    byte[] raw = Samples.bytesElements("a", "b");

    assertThatThrownBy(() -> decode(1, raw))
        .isInstanceOf(OipError.class)
        .hasMessage("input 'b': 5 bytes are left after the 1 BYTES elements of its shape");
  }

  @Test
  void aShapeThatCannotFitTheData_isRefusedBeforeAllocating() {
    assertThatThrownBy(() -> decode(1_000_000_000L, new byte[8]))
        .isInstanceOf(OipError.class)
        .hasMessage(
            "input 'b': 8 bytes of data cannot hold 1000000000 BYTES elements (each takes a"
                + " 4-byte length first)");
  }

  @Test
  void stringTensors_goOutAsUtf8BytesElements() {
    ByteBuffer raw =
        RawTensors.encode(new Tensor(DType.STRING, new long[] {2}, new String[] {"x", "é"}));

    byte[] out = new byte[raw.remaining()];
    raw.get(out);
    assertThat(out).isEqualTo(Samples.bytesElements("x", "é"));
  }

  @Test
  void bfloat16_roundsToNearestEven_andKeepsNaN() {
    // 1 + 2^-8 lies halfway between two bfloat16 values: it rounds to the even one, 1.0.
    assertThat(BFloat16.fromFloat(1f + 0x1p-8f)).isEqualTo((short) 0x3F80);
    assertThat(BFloat16.fromFloat(1f + 0x1p-7f + 0x1p-8f)).isEqualTo((short) 0x3F82);
    assertThat(Float.isNaN(BFloat16.toFloat(BFloat16.fromFloat(Float.NaN)))).isTrue();
    assertThat(BFloat16.toFloat((short) 0xC000)).isEqualTo(-2f);
  }
}
