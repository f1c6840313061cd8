package io.pipeserve.runtime.step.ensemble;

import static io.pipeserve.runtime.step.TestSteps.assertFails;
import static io.pipeserve.runtime.step.TestSteps.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pipeserve.runtime.error.ErrorCode;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.step.TestSteps;
import io.pipeserve.runtime.tensor.DType;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SoftmaxArgmaxTopKTest {
  private static Sample apply(String step, Map<String, Object> params, Map<String, Object> fields) {
    Sample sample = sample(fields);
    TestSteps.create(step, params).apply(sample);
    return sample;
  }

  @Test
  void softmaxNormalizesEachRowOfTheLastAxis() {
    Tensor logits = Tensor.of(new float[] {0, 0, 1000, 1, 2, 3}, 2, 3);

    Tensor prob = apply("softmax", Map.of(), Map.of("logits", logits)).tensor("prob");

    assertThat(prob.shape()).containsExactly(2, 3);
    float[] p = prob.floats();
    // Large logits do not overflow: the row's maximum is subtracted first.
    assertThat(p[0]).isCloseTo(0f, within(1e-6f));
    assertThat(p[2]).isCloseTo(1f, within(1e-6f));
    double e = Math.E;
    assertThat(p[3]).isCloseTo((float) (1 / (1 + e + e * e)), within(1e-6f));
    assertThat(p[3] + p[4] + p[5]).isCloseTo(1f, within(1e-6f));
  }

  @Test
  void argmaxGivesInt64IndicesWithoutTheLastAxisFirstOnTies() {
    Tensor prob = Tensor.of(new float[] {0.1f, 0.7f, 0.2f, 0.4f, 0.2f, 0.4f}, 2, 3);

    Tensor label = apply("argmax", Map.of(), Map.of("prob", prob)).tensor("label");

    assertThat(label.dtype()).isEqualTo(DType.INT64);
    assertThat(label.shape()).containsExactly(2);
    assertThat(label.longs()).containsExactly(1, 0);
  }

  @Test
  void topKGivesTheLargestValuesAndTheirIndicesLargestFirst() {
    Tensor prob = Tensor.of(new float[] {0.1f, 0.5f, 0.3f, 0.1f, 0.0f, 0.2f, 0.2f, 0.6f}, 2, 4);

    Sample sample = apply("top-k", Map.of("k", 2), Map.of("prob", prob));

    assertThat(sample.tensor("values").shape()).containsExactly(2, 2);
    assertThat(sample.tensor("values").floats()).containsExactly(0.5f, 0.3f, 0.6f, 0.2f);
    assertThat(sample.tensor("indices").longs()).containsExactly(1, 2, 3, 1);
  }

  @Test
  void topKReturnsAllValuesWhenThereAreFewerThanK() {
    Tensor prob = Tensor.of(new float[] {0.4f, 0.6f}, 1, 2);

    Sample sample = apply("top-k", Map.of("k", 5), Map.of("prob", prob));

    assertThat(sample.tensor("indices").shape()).containsExactly(1, 2);
    assertThat(sample.tensor("indices").longs()).containsExactly(1, 0);
  }

  @Test
  void inputAndOutputFieldsAreParameters() {
    Sample sample =
        apply(
            "softmax",
            Map.of("input", "a.logits", "output", "a.prob"),
            Map.of("a.logits", Tensor.of(new float[] {1, 1}, 1, 2)));

    assertThat(sample.tensor("a.prob").floats()).containsExactly(0.5f, 0.5f);
  }

  @Test
  void anAbsentInputIsZeroItemsAndWritesNothing() {
    Sample sample = apply("argmax", Map.of(), Map.of());

    assertThat(sample.has("label")).isFalse();
  }

  @Test
  void aTensorOtherThanFp32IsATypeError() {
    Sample sample = sample(Map.of("prob", Tensor.of(new long[] {1, 2}, 1, 2)));

    assertFails(
        () -> TestSteps.create("top-k", Map.of()).apply(sample),
        ErrorCode.TYPE_ERROR,
        "field 'prob'",
        "INT64 [1, 2]");
  }
}
