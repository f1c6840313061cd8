package io.pipeserve.runtime.testing;

import io.pipeserve.api.PipelineSpec;
import io.pipeserve.api.SpecLoader;

/** Pipeline specs written inline in tests. */
public final class Specs {
  private Specs() {}

  public static PipelineSpec yaml(String text) {
    return SpecLoader.fromYaml(text);
  }
}
