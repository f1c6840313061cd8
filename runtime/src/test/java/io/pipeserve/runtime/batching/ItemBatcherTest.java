package io.pipeserve.runtime.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ItemBatcherTest {
  private final List<long[]> calls = new ArrayList<>();

  /** The identity model, recording the shape of every call. */
  private Map<String, Tensor> identity(Map<String, Tensor> in) {
    calls.add(in.get("x").shape());
    return Map.of("y", in.get("x"));
  }

  @Test
  void itemsOfSimilarWidth_shareAModelCall_beforeWiderOnes() throws Exception {
    Map<String, Tensor> narrowA = Map.of("x", Tensor.of(new float[] {1, 2}, 1, 2));
    Map<String, Tensor> wide = Map.of("x", Tensor.of(new float[] {3, 4, 5, 6}, 1, 4));
    Map<String, Tensor> narrowB = Map.of("x", Tensor.of(new float[] {7, 8}, 1, 2));

    List<Map<String, Tensor>> out =
        new ItemBatcher(2).run(List.of(narrowA, wide, narrowB), this::identity, items -> {});

    assertThat(calls).extracting(s -> s[1]).containsExactly(2L, 4L);
    assertThat(out.get(0).get("y").floats()).containsExactly(1, 2);
    assertThat(out.get(1).get("y").floats()).containsExactly(3, 4, 5, 6);
    assertThat(out.get(2).get("y").floats()).containsExactly(7, 8);
  }

  @Test
  void sampleWithoutItems_getsNoOutputs_andCostsNoCall() throws Exception {
    Map<String, Tensor> empty = Map.of("x", Tensor.of(new float[0], 0, 2));

    List<Map<String, Tensor>> out =
        new ItemBatcher(4).run(List.of(empty), this::identity, items -> {});

    assertThat(out).containsExactly((Map<String, Tensor>) null);
    assertThat(calls).isEmpty();
  }

  @Test
  void inputsDisagreeingOnTheItemCount_areAnInputErrorNamingBoth() {
    Map<String, Tensor> in =
        Map.of(
            "a", Tensor.of(new float[] {1, 2}, 2, 1),
            "b", Tensor.of(new float[] {1}, 1, 1));

    assertThatThrownBy(() -> ItemBatcher.items(new java.util.TreeMap<>(in)))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("'a' has 2")
        .hasMessageContaining("'b' has 1");
  }
}
