package io.pipeserve.api;

import java.util.Map;

/**
 * One pre- or postprocessing step: a built-in step by name and its parameters.
 *
 * @param step the step name; see {@link BuiltInSteps}
 * @param params the step's parameters
 */
public record StepSpec(String step, Map<String, Object> params) {
  public StepSpec {
    params = params == null ? Map.of() : Map.copyOf(params);
  }
}
