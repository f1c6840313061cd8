package io.pipeserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Keeps the complete example of docs/pipeline-spec.md a spec that loads and validates. */
class SpecDocTest {
  private static final Path DOC = Path.of("..", "docs", "pipeline-spec.md");

  @Test
  void completeExample_isAValidSpec() throws IOException {
    PipelineSpec spec = SpecLoader.fromYaml(completeExample());

    assertThat(SpecValidator.validate(spec, null)).isEmpty();
    assertThat(spec.ops()).extracting(OpSpec::name).containsExactly("det", "rec", "tag");
  }

  private static String completeExample() throws IOException {
    String doc = Files.readString(DOC);
    int section = doc.indexOf("## Complete example");
    int start = doc.indexOf("```yaml\n", section) + "```yaml\n".length();
    return doc.substring(start, doc.indexOf("```", start));
  }
}
