package io.pipeserve.runtime.step;

/** Creates a step from its parameters; registered by name in {@link Steps}. */
@FunctionalInterface
public interface StepFactory {
  /**
   * @throws IllegalArgumentException when a parameter is missing or invalid; the message names it
   */
  Step create(Params params, StepContext context);
}
