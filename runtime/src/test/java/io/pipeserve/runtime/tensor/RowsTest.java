package io.pipeserve.runtime.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipeserve.runtime.tensor.Rows.Row;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowsTest {

  @Test
  void stack_rowsOfEqualShape_concatenatesThemInOrder() {
    Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
    Tensor b = Tensor.of(new float[] {5, 6}, 1, 2);

    Tensor out = Rows.stack(List.of(new Row(b, 0), new Row(a, 1), new Row(a, 0)));

    assertThat(out.shape()).containsExactly(3, 2);
    assertThat(out.floats()).containsExactly(5, 6, 3, 4, 1, 2);
  }

  @Test
  void stack_rowsOfDifferentWidths_zeroPadsEachToTheWidest() {
    // Two "images" [1, 2, 2] and [1, 2, 3]: the narrower is padded on the right of each line.
    Tensor narrow = Tensor.of(new float[] {1, 2, 3, 4}, 1, 2, 2);
    Tensor wide = Tensor.of(new float[] {5, 6, 7, 8, 9, 10}, 1, 2, 3);

    Tensor out = Rows.stack(List.of(new Row(narrow, 0), new Row(wide, 0)));

    assertThat(out.shape()).containsExactly(2, 2, 3);
    assertThat(out.floats()).containsExactly(1, 2, 0, 3, 4, 0, 5, 6, 7, 8, 9, 10);
  }

  @Test
  void stack_stringRows_padWithEmptyStrings() {
    Tensor a = new Tensor(DType.STRING, new long[] {1, 1}, new String[] {"a"});
    Tensor b = new Tensor(DType.STRING, new long[] {1, 2}, new String[] {"b", "c"});

    Tensor out = Rows.stack(List.of(new Row(a, 0), new Row(b, 0)));

    assertThat(out.strings()).containsExactly("a", "", "b", "c");
  }

  @Test
  void stack_mixedDtypes_isRejectedNamingBoth() {
    Tensor f = Tensor.of(new float[] {1}, 1, 1);
    Tensor l = Tensor.of(new long[] {1}, 1, 1);

    assertThatThrownBy(() -> Rows.stack(List.of(new Row(f, 0), new Row(l, 0))))
        .hasMessageContaining("FP32")
        .hasMessageContaining("INT64");
  }
}
