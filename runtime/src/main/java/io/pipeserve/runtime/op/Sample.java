package io.pipeserve.runtime.op;

import io.pipeserve.runtime.error.PipelineException;
import io.pipeserve.runtime.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The data of one request at one op: named fields (Strings from Paddle key/value pairs, {@link
 * Tensor}s, or any object a step hands to the next), plus the request's ids. Model inputs and
 * outputs are tensors whose dimension 0 counts the sample's items (one image, or N text crops).
 */
public final class Sample {
  private final long dataId;
  private final long logId;
  private final Map<String, Object> fields;
  private boolean skipProcess;

  public Sample(long dataId, long logId, Map<String, Object> fields) {
    this.dataId = dataId;
    this.logId = logId;
    this.fields = new LinkedHashMap<>(fields);
  }

  /** Unique in this process, increasing with arrival. */
  public long dataId() {
    return dataId;
  }

  /** The caller's log id (0 when none was given). */
  public long logId() {
    return logId;
  }

  public boolean has(String name) {
    return fields.containsKey(name);
  }

  /** The field, or null when absent. */
  public Object get(String name) {
    return fields.get(name);
  }

  /** The field; a missing field is the caller's error (INPUT_PARAMS_ERROR, naming it). */
  public Object require(String name) {
    Object v = fields.get(name);
    if (v == null) {
      throw PipelineException.input("missing field '" + name + "'");
    }
    return v;
  }

  /** The field as a tensor; absent → INPUT_PARAMS_ERROR, not a tensor → TYPE_ERROR. */
  public Tensor tensor(String name) {
    return as(name, Tensor.class);
  }

  /** The field as a string; absent → INPUT_PARAMS_ERROR, not a string → TYPE_ERROR. */
  public String string(String name) {
    return as(name, String.class);
  }

  /** The field as {@code type}; absent → INPUT_PARAMS_ERROR, another type → TYPE_ERROR. */
  public <T> T as(String name, Class<T> type) {
    Object v = require(name);
    if (!type.isInstance(v)) {
      throw PipelineException.type(
          "field '" + name + "' must be a " + describe(type) + ", got a " + describe(v.getClass()));
    }
    return type.cast(v);
  }

  public Sample put(String name, Object value) {
    fields.put(name, value);
    return this;
  }

  public Object remove(String name) {
    return fields.remove(name);
  }

  /** The live field map, in insertion order. */
  public Map<String, Object> fields() {
    return fields;
  }

  /** Set by a preprocess step: the model is not run for this sample (Paddle's is_skip_process). */
  public void skipProcess() {
    this.skipProcess = true;
  }

  public boolean isSkipProcess() {
    return skipProcess;
  }

  /** A copy with the same ids and a shallow copy of the fields (for fan-out). */
  public Sample copy() {
    return new Sample(dataId, logId, fields);
  }

  private static String describe(Class<?> type) {
    return type == Tensor.class ? "tensor" : type.getSimpleName().toLowerCase();
  }
}
