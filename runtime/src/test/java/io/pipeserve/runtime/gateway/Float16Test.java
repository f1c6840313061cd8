package io.pipeserve.runtime.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Float16Test {

  @Test
  void everyFiniteHalf_survivesAFloatRoundTrip() {
    for (int bits = 0; bits <= 0xffff; bits++) {
      short half = (short) bits;
      boolean nan = (bits & 0x7c00) == 0x7c00 && (bits & 0x3ff) != 0;
      if (!nan) {
        assertThat(Float16.fromFloat(Float16.toFloat(half))).as("0x%04x", bits).isEqualTo(half);
      }
    }
  }

  @Test
  void floats_roundToNearestEven() {
    // 1 + 2^-11 lies halfway between 1.0 and the next half (1 + 2^-10): ties go to even (1.0).
    assertThat(Float16.fromFloat(1f + 0x1p-11f)).isEqualTo((short) 0x3c00);
    assertThat(Float16.fromFloat(1f + 0x1p-11f + 0x1p-20f)).isEqualTo((short) 0x3c01);
  }

  @Test
  void outOfRange_becomesInfinityOrZero_andNanStaysNan() {
    assertThat(Float16.fromFloat(1e6f)).isEqualTo((short) 0x7c00);
    assertThat(Float16.fromFloat(-1e-10f)).isEqualTo((short) 0x8000);
    assertThat(Float.isNaN(Float16.toFloat(Float16.fromFloat(Float.NaN)))).isTrue();
  }
}
