package io.pipeserve.runtime.step;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipeserve.api.StepSpec;
import io.pipeserve.runtime.error.ErrorCode;
import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.op.Sample;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Creating steps and checking their errors in tests. */
public final class TestSteps {
  private TestSteps() {}

  public static Step create(String name, Map<String, Object> params) {
    return create(name, params, OcrExample.DIR);
  }

  public static Step create(String name, Map<String, Object> params, Path baseDir) {
    return Steps.create(
        new StepSpec(name, params), new StepContext(baseDir, "ops[0].postprocess[0]"));
  }

  public static Sample sample(Map<String, Object> fields) {
    return new Sample(7, 0, fields);
  }

  /** The call fails with a PipelineException of this code whose message has every fragment. */
  public static void assertFails(ThrowingCallable call, ErrorCode code, String... fragments) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            PipelineException.class,
            e -> org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo(code))
        .message()
        .contains(fragments);
  }
}
