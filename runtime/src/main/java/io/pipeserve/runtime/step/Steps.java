package io.pipeserve.runtime.step;

import io.pipeserve.api.StepSpec;
import java.util.Map;
import java.util.Set;

/** The built-in steps by name. */
public final class Steps {
  private static final Map<String, StepFactory> FACTORIES = Map.of();

  private Steps() {}

  public static Step create(StepSpec spec, StepContext context) {
    StepFactory f = FACTORIES.get(spec.step());
    if (f == null) {
      throw new IllegalArgumentException(
          context.where() + ".step: unknown step '" + spec.step() + "'");
    }
    Params params = new Params(spec.params(), context.where() + ".params");
    Step step = f.create(params, context);
    params.checkAllRead();
    return step;
  }

  public static Set<String> names() {
    return FACTORIES.keySet();
  }
}
