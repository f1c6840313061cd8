package io.pipeserve.api;

import java.util.ArrayList;
import java.util.List;

/** Collects problems in the order the rules find them, so reports read top to bottom. */
final class Problems {
  private final List<Problem> list = new ArrayList<>();

  void add(String path, String message) {
    list.add(new Problem(path, message));
  }

  /** Adds a problem when {@code value} is set and below {@code min}. */
  void atLeast(String path, Number value, long min) {
    if (value != null && value.longValue() < min) {
      add(path, "must be >= " + min + ", got " + value);
    }
  }

  int size() {
    return list.size();
  }

  List<Problem> list() {
    return List.copyOf(list);
  }
}
