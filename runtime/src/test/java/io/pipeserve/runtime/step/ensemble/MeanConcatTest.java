package io.pipeserve.runtime.step.ensemble;

import static io.pipeserve.runtime.step.TestSteps.assertFails;
import static io.pipeserve.runtime.step.TestSteps.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pipeserve.runtime.error.ErrorCode;
import io.pipeserve.runtime.op.Sample;
import io.pipeserve.runtime.step.Step;
import io.pipeserve.runtime.step.TestSteps;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeanConcatTest {
  private static final Map<String, Object> TWO_INPUTS =
      Map.of("inputs", List.of("a.prob", "b.prob"), "output", "prob");

  private final Step mean = TestSteps.create("mean", TWO_INPUTS);
  private final Step concat = TestSteps.create("concat", TWO_INPUTS);

  @Test
  void meanAveragesElementWise() {
    Sample sample =
        sample(
            Map.of(
                "a.prob", Tensor.of(new float[] {0.2f, 0.8f, 1f, 0f}, 2, 2),
                "b.prob", Tensor.of(new float[] {0.4f, 0.6f, 0f, 1f}, 2, 2)));

    mean.apply(sample);

    assertThat(sample.tensor("prob").shape()).containsExactly(2, 2);
    assertThat(sample.tensor("prob").floats())
        .containsExactly(new float[] {0.3f, 0.7f, 0.5f, 0.5f}, within(1e-6f));
  }

  @Test
  void meanOfDifferentShapesIsATypeErrorNamingFieldsAndShapes() {
    Sample sample =
        sample(
            Map.of(
                "a.prob", Tensor.of(new float[4], 2, 2),
                "b.prob", Tensor.of(new float[6], 2, 3)));

    assertFails(
        () -> mean.apply(sample), ErrorCode.TYPE_ERROR, "'a.prob' [2, 2]", "'b.prob' [2, 3]");
  }

  @Test
  void concatJoinsAlongTheLastAxis() {
    Sample sample =
        sample(
            Map.of(
                "a.prob", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2),
                "b.prob", Tensor.of(new float[] {5, 6}, 2, 1)));

    concat.apply(sample);

    assertThat(sample.tensor("prob").shape()).containsExactly(2, 3);
    assertThat(sample.tensor("prob").floats()).containsExactly(1, 2, 5, 3, 4, 6);
  }

  @Test
  void concatOfDifferentLeadingDimensionsIsATypeError() {
    Sample sample =
        sample(
            Map.of(
                "a.prob", Tensor.of(new float[4], 2, 2),
                "b.prob", Tensor.of(new float[3], 3, 1)));

    assertFails(
        () -> concat.apply(sample), ErrorCode.TYPE_ERROR, "'a.prob' [2, 2]", "'b.prob' [3, 1]");
  }

  @Test
  void oneInputMissingIsAnInputErrorNamingIt() {
    Sample sample = sample(Map.of("a.prob", Tensor.of(new float[2], 1, 2)));

    assertFails(() -> mean.apply(sample), ErrorCode.INPUT_PARAMS_ERROR, "[b.prob]");
  }

  @Test
  void allInputsAbsentIsZeroItemsAndWritesNothing() {
    Sample sample = sample(Map.of());

    concat.apply(sample);

    assertThat(sample.has("prob")).isFalse();
  }
}
