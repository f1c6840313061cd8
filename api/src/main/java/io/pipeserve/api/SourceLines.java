package io.pipeserve.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the line of a spec path in the source text.
 *
 * <p>Jackson's binding errors cannot say it: records bind through their constructors, so Jackson
 * reads a whole mapping before it reports a key in it, and its location is then the mapping's end.
 */
final class SourceLines {
  private final ObjectMapper mapper;
  private final String text;

  SourceLines(ObjectMapper mapper, String text) {
    this.mapper = mapper;
    this.text = text;
  }

  /** The 1-based line where {@code path} (as {@link #pathOf} writes it) starts; 0 if not found. */
  int lineOf(String path) {
    try (JsonParser parser = mapper.createParser(text)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token != JsonToken.END_OBJECT
            && token != JsonToken.END_ARRAY
            && path.equals(pathOf(parser.getParsingContext()))) {
          return parser.currentTokenLocation().getLineNr();
        }
      }
    } catch (IOException e) {
      // The text was parsed once already; should a second pass fail, the line is just unknown.
    }
    return 0;
  }

  /** The spec path of a parser position, e.g. {@code ops[1].batch.size}; "spec" at the root. */
  static String pathOf(JsonStreamContext context) {
    List<String> parts = new ArrayList<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        parts.add(0, "[" + Math.max(c.getCurrentIndex(), 0) + "]");
      } else if (c.getCurrentName() != null) {
        parts.add(0, "." + c.getCurrentName());
      }
    }
    String path = String.join("", parts);
    return path.isEmpty() ? "spec" : path.startsWith(".") ? path.substring(1) : path;
  }
}
