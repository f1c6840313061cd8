package io.pipeserve.runtime.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipeserve.api.BuiltInSteps;
import io.pipeserve.api.StepSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StepsTest {
  private static final StepContext CONTEXT = new StepContext(Path.of("."), "ops[2].preprocess[1]");

  @Test
  void implementsExactlyTheBuiltInSteps() {
    assertThat(Steps.names()).isEqualTo(BuiltInSteps.NAMES);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "image-decode",
        "det-resize",
        "db-postprocess",
        "crop-boxes",
        "cls-resize",
        "cls-rotate",
        "rec-resize",
        "ocr-result",
        "softmax",
        "argmax",
        "top-k"
      })
  void createsStepsThatNeedNoParameters(String name) {
    assertThat(Steps.create(new StepSpec(name, Map.of()), CONTEXT)).isNotNull();
  }

  @Test
  void unknownStepIsRejectedNamingWhereAndTheKnownSteps() {
    assertThatThrownBy(() -> Steps.create(new StepSpec("det-resise", Map.of()), CONTEXT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ops[2].preprocess[1]")
        .hasMessageContaining("det-resise")
        .hasMessageContaining("det-resize");
  }

  @Test
  void unknownParameterIsRejectedNamingIt() {
    assertThatThrownBy(() -> Steps.create(new StepSpec("softmax", Map.of("inptu", "a")), CONTEXT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ops[2].preprocess[1].params.inptu: unknown parameter");
  }

  @Test
  void invalidParameterIsRejectedNamingIt() {
    assertThatThrownBy(
            () -> Steps.create(new StepSpec("db-postprocess", Map.of("thresh", 3)), CONTEXT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ops[2].preprocess[1].params.thresh: must be within [0, 1]");
  }

  @Test
  void ctcDecodeNeedsItsKeysFile() {
    assertThatThrownBy(() -> Steps.create(new StepSpec("ctc-decode", Map.of()), CONTEXT))
        .hasMessage("ops[2].preprocess[1].params.keys: is required");
    assertThatThrownBy(
            () -> Steps.create(new StepSpec("ctc-decode", Map.of("keys", "nope.txt")), CONTEXT))
        .hasMessageContaining("params.keys: file not found");
  }

  @Test
  void combineStepsNeedTheirInputs() {
    assertThatThrownBy(() -> Steps.create(new StepSpec("mean", Map.of()), CONTEXT))
        .hasMessageContaining("ops[2].preprocess[1].params.inputs: is required");
    assertThatThrownBy(() -> Steps.create(new StepSpec("concat", Map.of()), CONTEXT))
        .hasMessageContaining("ops[2].preprocess[1].params.inputs: is required");
  }
}
