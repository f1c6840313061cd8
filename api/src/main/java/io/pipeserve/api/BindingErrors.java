package io.pipeserve.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonMappingException.Reference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** Turns Jackson's read errors into problems phrased in spec terms. */
final class BindingErrors {
  private BindingErrors() {}

  /** A YAML/JSON syntax error (or a duplicate key), located by the parser's position. */
  static Problem syntax(JsonProcessingException e) {
    String path = "spec";
    if (e.getProcessor() instanceof JsonParser parser) {
      path = SourceLines.pathOf(parser.getParsingContext());
    }
    // SnakeYAML's first line is the context ("while parsing a flow sequence"); the problem, and
    // the line where it was found, come after it.
    if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblem() != null) {
      String context = yaml.getContext() == null ? "" : ", " + yaml.getContext();
      String line =
          yaml.getProblemMark() == null
              ? ""
              : " (line " + (yaml.getProblemMark().getLine() + 1) + ")";
      return new Problem(path, "cannot parse: " + yaml.getProblem() + context + line);
    }
    String detail = firstLine(e.getOriginalMessage());
    return new Problem(path, "cannot parse: " + detail + atLine(e.getLocation()));
  }

  /**
   * A value that does not fit the spec records.
   *
   * @param tree the same document, parsed, to quote the value found
   * @param source the same document, to find the line of the path
   */
  static Problem binding(JsonProcessingException e, JsonNode tree, SourceLines source) {
    if (!(e instanceof JsonMappingException de)) {
      return syntax(e);
    }
    List<Reference> refs = de.getPath();
    String path = pathOf(refs);
    int lineNr = source.lineOf(path);
    String line = lineNr > 0 ? " (line " + lineNr + ")" : atLine(e.getLocation());
    if (e instanceof UnrecognizedPropertyException u) {
      return new Problem(path, "unknown field" + line + " (known: " + known(u) + ")");
    }
    if (e instanceof InvalidNullException) {
      return new Problem(path, "must not be null" + line);
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      JsonNode actual = at(tree, refs);
      String got = actual == null ? "" : ", got " + describe(actual);
      return new Problem(path, "expected " + expected(m.getTargetType()) + got + line);
    }
    if (e instanceof ValueInstantiationException && e.getCause() != null) {
      return new Problem(path, e.getCause().getMessage() + line);
    }
    return new Problem(path, firstLine(e.getOriginalMessage()) + line);
  }

  /** A value as the user wrote it: {@code 'abc'}, {@code 1.5}, {@code a list}. */
  static String describe(JsonNode node) {
    if (node.isTextual()) {
      return "'" + node.textValue() + "'";
    }
    if (node.isArray()) {
      return "a list";
    }
    if (node.isObject()) {
      return "a mapping";
    }
    return node.toString();
  }

  private static String expected(Class<?> type) {
    if (type == Integer.class
        || type == int.class
        || type == Long.class
        || type == long.class
        || type == BigInteger.class) {
      return "an integer";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "a mapping";
    }
    return type.getSimpleName();
  }

  private static String known(UnrecognizedPropertyException e) {
    Collection<Object> ids = e.getKnownPropertyIds();
    if (ids == null) {
      return "none";
    }
    return String.join(", ", ids.stream().map(String::valueOf).sorted().toList());
  }

  private static JsonNode at(JsonNode root, List<Reference> refs) {
    JsonNode node = root;
    for (Reference ref : refs) {
      if (node == null) {
        return null;
      }
      node = ref.getFieldName() != null ? node.get(ref.getFieldName()) : node.get(ref.getIndex());
    }
    return node;
  }

  private static String pathOf(List<Reference> refs) {
    StringBuilder path = new StringBuilder();
    for (Reference ref : refs) {
      if (ref.getFieldName() != null) {
        appendField(path, ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.isEmpty() ? "spec" : path.toString();
  }

  private static void appendField(StringBuilder path, String name) {
    if (!path.isEmpty()) {
      path.append('.');
    }
    path.append(name);
  }

  private static String atLine(JsonLocation location) {
    return location == null || location.getLineNr() <= 0
        ? ""
        : " (line " + location.getLineNr() + ")";
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable input";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
