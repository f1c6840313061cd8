package io.pipeserve.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a pipeline spec from YAML or JSON and writes it back as YAML.
 *
 * <p>Keys are the record component names (camelCase). Reading is strict: an unknown key, a wrong
 * type, a fraction where an integer belongs or a null list entry is a {@link SpecException} naming
 * the spec path and line, because a silently ignored typo ({@code sizee: 8}) would leave a default
 * in place that the user believes they changed.
 */
public final class SpecLoader {
  private static final ObjectMapper YAML = configure(YAMLMapper.builder()).build();
  private static final ObjectMapper JSON = configure(JsonMapper.builder()).build();

  // Written YAML becomes a Kubernetes ConfigMap: it must be the same for the same spec (sorted map
  // keys, since the records hold Map.copyOf maps of no fixed order), or the operator would see a
  // change and roll pods that need no restart.
  private static final ObjectMapper WRITER =
      configure(
              YAMLMapper.builder()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                  .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS))
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();

  private SpecLoader() {}

  /** Loads a spec file: JSON when the name ends in {@code .json}, YAML otherwise. */
  public static PipelineSpec load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new SpecException(
          "cannot read pipeline spec " + file,
          List.of(new Problem(file.toString(), "cannot read the file: " + e)));
    }
    boolean json = file.getFileName().toString().toLowerCase().endsWith(".json");
    return read(json ? JSON : YAML, text, "invalid pipeline spec " + file);
  }

  /**
   * Loads a spec file and validates it, resolving model paths against the file's directory.
   *
   * @throws SpecException listing every problem when the file cannot be read or is not valid
   */
  public static PipelineSpec loadValid(Path file) {
    PipelineSpec spec = load(file);
    SpecValidator.check(spec, file.toAbsolutePath().getParent());
    return spec;
  }

  /** Reads a spec from YAML text (JSON text too, as YAML reads JSON). */
  public static PipelineSpec fromYaml(String yaml) {
    return read(YAML, yaml, "invalid pipeline spec");
  }

  /** Reads a spec from JSON text. */
  public static PipelineSpec fromJson(String json) {
    return read(JSON, json, "invalid pipeline spec");
  }

  /**
   * Writes a spec as YAML that {@link #fromYaml} reads back to an equal spec; nulls are omitted.
   */
  public static String toYaml(PipelineSpec spec) {
    try {
      return WRITER.writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      // Records of strings, numbers, lists and maps always serialise; this is a bug, not input.
      throw new UncheckedIOException(e);
    }
  }

  private static PipelineSpec read(ObjectMapper mapper, String text, String summary) {
    // The tree is read first: it reports syntax errors, and a binding error quotes the offending
    // value from it ("got 'abc'"), which Jackson's binding exceptions do not carry.
    JsonNode tree;
    try {
      tree = mapper.readTree(text);
    } catch (JsonProcessingException e) {
      throw new SpecException(summary, List.of(BindingErrors.syntax(e)));
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      throw new SpecException(summary, List.of(new Problem("spec", "the document is empty")));
    }
    if (!tree.isObject()) {
      throw new SpecException(
          summary,
          List.of(new Problem("spec", "expected a mapping, got " + BindingErrors.describe(tree))));
    }
    try {
      return mapper.readValue(text, PipelineSpec.class);
    } catch (JsonProcessingException e) {
      throw new SpecException(
          summary, List.of(BindingErrors.binding(e, tree, new SourceLines(mapper, text))));
    }
  }

  private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B configure(B builder) {
    builder
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        // The records copy lists with List.copyOf, which rejects nulls with a bare NPE; failing in
        // Jackson instead names the entry.
        .defaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL))
        // "" for a number would otherwise become null and so, silently, the default.
        .withCoercionConfigDefaults(
            c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail));
    return builder;
  }
}
