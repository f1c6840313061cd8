package io.pipeserve.runtime.trace.file;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Reads a Triton trace file (ours or Triton's) back into traces. Triton spreads one trace over many
 * objects sharing an {@code id}; they are merged in file order, as trace_summary.py does, and the
 * traces returned sorted by id. Objects without an {@code id} are skipped, as Triton's tool skips
 * them.
 */
public final class TraceFileReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TraceFileReader() {}

  public static List<TraceRecord> read(Path file) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new TraceFileException(file + ": no such file");
    } catch (JsonProcessingException e) {
      throw new TraceFileException(
          file
              + ": not valid JSON ("
              + e.getOriginalMessage()
              + "); is the file still being written?");
    }
    if (root == null || !root.isArray()) {
      throw new TraceFileException(file + ": not a trace file: expected a JSON array of traces");
    }
    Map<Long, Partial> byId = new LinkedHashMap<>();
    for (JsonNode object : root) {
      if (object.isObject() && object.hasNonNull("id")) {
        byId.computeIfAbsent(object.get("id").asLong(), Partial::new).add(object);
      }
    }
    List<TraceRecord> traces = new ArrayList<>(byId.size());
    for (Partial partial : byId.values()) {
      traces.add(partial.toRecord(file));
    }
    traces.sort(Comparator.comparingLong(TraceRecord::id));
    return traces;
  }

  /** The objects of one id seen so far. */
  private static final class Partial {
    final long id;
    String modelName;
    long modelVersion;
    OptionalLong parentId = OptionalLong.empty();
    String requestId = "";
    final List<TraceEntry> entries = new ArrayList<>();

    Partial(long id) {
      this.id = id;
    }

    void add(JsonNode object) {
      if (object.has("model_name")) {
        modelName = object.get("model_name").asText();
      }
      if (object.has("model_version")) {
        modelVersion = object.get("model_version").asLong();
      }
      if (object.hasNonNull("parent_id") && object.get("parent_id").asLong() != 0) {
        parentId = OptionalLong.of(object.get("parent_id").asLong());
      }
      if (object.has("request_id")) {
        requestId = object.get("request_id").asText();
      }
      for (JsonNode ts : object.path("timestamps")) {
        entries.add(new TraceEntry.Timestamp(ts.path("name").asText(), ts.path("ns").asLong()));
      }
      if (object.has("activity") && object.has("tensor")) {
        JsonNode tensor = object.get("tensor");
        entries.add(
            new TraceEntry.Tensor(
                object.get("activity").asText(),
                new TraceTensor(
                    tensor.path("name").asText(),
                    tensor.path("data").asText(),
                    tensor.path("shape").asText(),
                    tensor.path("dtype").asText())));
      }
    }

    TraceRecord toRecord(Path file) throws TraceFileException {
      if (modelName == null) {
        throw new TraceFileException(
            file + ": trace " + id + " has no model_name (its header object is missing)");
      }
      try {
        return new TraceRecord(id, modelName, modelVersion, parentId, requestId, entries, Map.of());
      } catch (IllegalArgumentException e) {
        throw new TraceFileException(file + ": " + e.getMessage());
      }
    }
  }
}
