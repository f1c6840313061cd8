package io.pipeserve.runtime.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pipeserve.api.PipelineSpec;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Pipeline specs written inline in tests. */
public final class Specs {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Specs() {}

  public static PipelineSpec yaml(String text) {
    try {
      return YAML.readValue(text, PipelineSpec.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
