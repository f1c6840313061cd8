package io.pipeserve.runtime.trace.file;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One Triton trace: the pipeline's (no parent) or an op execution's (its {@code parentId} is the
 * pipeline trace). Entries stay in the order they were captured, as Triton writes them.
 *
 * @param id unique in the process and above 0 (Triton's ids start at 1; 0 means "no parent")
 * @param modelName the pipeline's name for the pipeline trace, the op's name for an op trace
 * @param modelVersion Triton's model_version; pipeserve has one version per name
 * @param requestId the caller's request id (Paddle's log_id); empty when it sent none
 * @param attributes facts about the run that Triton's file has no place for (data_id, batch size,
 *     worker): OpenTelemetry spans carry them; the trace file leaves them out
 */
public record TraceRecord(
    long id,
    String modelName,
    long modelVersion,
    OptionalLong parentId,
    String requestId,
    List<TraceEntry> entries,
    Map<String, Long> attributes) {

  public TraceRecord {
    if (id <= 0) {
      throw new IllegalArgumentException("trace id: must be > 0, was " + id);
    }
    if (modelName == null || modelName.isEmpty()) {
      throw new IllegalArgumentException("trace " + id + ": model_name must not be empty");
    }
    Objects.requireNonNull(parentId, "parentId");
    if (parentId.isPresent() && (parentId.getAsLong() <= 0 || parentId.getAsLong() == id)) {
      throw new IllegalArgumentException(
          "trace " + id + ": parent_id must be > 0 and not the trace's own id");
    }
    Objects.requireNonNull(requestId, "requestId (empty when none)");
    entries = List.copyOf(entries);
    attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  public static Builder builder(long id, String modelName, long modelVersion) {
    return new Builder(id, modelName, modelVersion);
  }

  /** The timestamps by name; a name captured twice keeps its last value, as Triton's tools do. */
  public Map<String, Long> timestamps() {
    Map<String, Long> byName = new LinkedHashMap<>();
    for (TraceEntry entry : entries) {
      if (entry instanceof TraceEntry.Timestamp ts) {
        byName.put(ts.name(), ts.ns());
      }
    }
    return byName;
  }

  /** Whether a timestamp of that name was captured (cheaper than {@link #timestamps()}). */
  public boolean hasTimestamp(String name) {
    for (TraceEntry entry : entries) {
      if (entry instanceof TraceEntry.Timestamp ts && ts.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** Collects a trace while a request runs; not thread-safe, one builder per trace. */
  public static final class Builder {
    private final long id;
    private final String modelName;
    private final long modelVersion;
    private OptionalLong parentId = OptionalLong.empty();
    private String requestId = "";
    private final List<TraceEntry> entries = new ArrayList<>();
    private final Map<String, Long> attributes = new LinkedHashMap<>();

    private Builder(long id, String modelName, long modelVersion) {
      this.id = id;
      this.modelName = modelName;
      this.modelVersion = modelVersion;
    }

    public Builder parentId(long parentId) {
      this.parentId = OptionalLong.of(parentId);
      return this;
    }

    public Builder requestId(String requestId) {
      this.requestId = requestId;
      return this;
    }

    public Builder timestamp(String name, long ns) {
      entries.add(new TraceEntry.Timestamp(name, ns));
      return this;
    }

    public Builder tensor(String activity, TraceTensor tensor) {
      entries.add(new TraceEntry.Tensor(activity, tensor));
      return this;
    }

    public Builder attribute(String key, long value) {
      attributes.put(key, value);
      return this;
    }

    public TraceRecord build() {
      return new TraceRecord(id, modelName, modelVersion, parentId, requestId, entries, attributes);
    }
  }
}
