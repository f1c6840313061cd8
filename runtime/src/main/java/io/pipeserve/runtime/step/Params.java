package io.pipeserve.runtime.step;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A step's parameters, read with defaults. Every error names the parameter with its spec location
 * ({@code ops[1].postprocess[0].thresh: must be a number}). {@link #checkAllRead()} rejects
 * parameters no step asked for, so a typo is a start-up error, not a silent default.
 */
public final class Params {
  private final Map<String, Object> values;
  private final String where;
  private final Set<String> read = new HashSet<>();

  public Params(Map<String, Object> values, String where) {
    this.values = values;
    this.where = where;
  }

  public String string(String name, String defaultValue) {
    Object v = take(name);
    return v == null ? defaultValue : v.toString();
  }

  public double number(String name, double defaultValue) {
    Object v = take(name);
    if (v == null) {
      return defaultValue;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw invalid(name, "must be a number, got '" + v + "'");
  }

  public int integer(String name, int defaultValue) {
    double d = number(name, defaultValue);
    if (d != Math.rint(d)) {
      throw invalid(name, "must be an integer, got " + d);
    }
    return (int) d;
  }

  public boolean bool(String name, boolean defaultValue) {
    Object v = take(name);
    if (v == null) {
      return defaultValue;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw invalid(name, "must be true or false, got '" + v + "'");
  }

  /** A list of numbers, e.g. normalization means. */
  public double[] numbers(String name, double[] defaultValue) {
    Object v = take(name);
    if (v == null) {
      return defaultValue;
    }
    if (!(v instanceof List<?> list)) {
      throw invalid(name, "must be a list of numbers, got '" + v + "'");
    }
    double[] out = new double[list.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(list.get(i) instanceof Number n)) {
        throw invalid(name, "must be a list of numbers, got '" + list.get(i) + "' at " + i);
      }
      out[i] = n.doubleValue();
    }
    return out;
  }

  /** A list of strings, e.g. the fields a combine step reads. */
  public List<String> strings(String name, List<String> defaultValue) {
    Object v = take(name);
    if (v == null) {
      return defaultValue;
    }
    if (!(v instanceof List<?> list)) {
      throw invalid(name, "must be a list of strings, got '" + v + "'");
    }
    return list.stream().map(Object::toString).toList();
  }

  /** A file path, resolved against the spec's directory; must exist. */
  public Path file(String name, Path baseDir) {
    Object v = take(name);
    if (v == null) {
      throw invalid(name, "is required");
    }
    Path p = baseDir.resolve(v.toString()).normalize();
    if (!p.toFile().isFile()) {
      throw invalid(name, "file not found: " + p);
    }
    return p;
  }

  /** Rejects parameters that were never read: they are typos or belong to another step. */
  public void checkAllRead() {
    for (String name : values.keySet()) {
      if (!read.contains(name)) {
        throw invalid(name, "unknown parameter");
      }
    }
  }

  public IllegalArgumentException invalid(String name, String message) {
    return new IllegalArgumentException(where + "." + name + ": " + message);
  }

  private Object take(String name) {
    read.add(name);
    return values.get(name);
  }
}
