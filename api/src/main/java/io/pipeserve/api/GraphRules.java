package io.pipeserve.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the ops join up: unique names, inputs that name other ops, no cycles, one op reading the
 * request at least and exactly one op left over for the response.
 */
final class GraphRules {
  private GraphRules() {}

  static void check(List<OpSpec> ops, Problems problems) {
    if (ops.isEmpty()) {
      problems.add("ops", "at least one op is required");
      return;
    }
    int before = problems.size();
    Map<String, Integer> index = checkNames(ops, problems);
    Map<String, List<String>> readers = checkInputs(ops, index, problems);
    // With a name missing, doubled or misspelt the graph is not the one the user meant; its cycles
    // and loose ends would only repeat the problem already reported, so look at them afterwards.
    boolean allNamed = ops.stream().allMatch(op -> index.containsKey(op.name()));
    if (allNamed && problems.size() == before) {
      for (List<String> cycle : new CycleFinder(readers).cycles()) {
        problems.add("ops", "cycle " + String.join(" -> ", cycle));
      }
      checkResponse(index.keySet(), readBySomeOp(ops), problems);
    }
    if (ops.stream().noneMatch(op -> op.inputs().isEmpty())) {
      problems.add("ops", "no op reads the request: at least one op needs empty inputs");
    }
  }

  /** Reports duplicate names and returns each usable name with its first index, in spec order. */
  private static Map<String, Integer> checkNames(List<OpSpec> ops, Problems problems) {
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < ops.size(); i++) {
      String name = ops.get(i).name();
      if (name == null || name.isBlank()) {
        continue;
      }
      Integer first = index.putIfAbsent(name, i);
      if (first != null) {
        problems.add(
            "ops[" + i + "].name", "duplicate op name '" + name + "', also ops[" + first + "]");
      }
    }
    return index;
  }

  /** Reports bad inputs and returns, for each op name, the ops that read it (the data flow). */
  private static Map<String, List<String>> checkInputs(
      List<OpSpec> ops, Map<String, Integer> index, Problems problems) {
    Map<String, List<String>> readers = new LinkedHashMap<>();
    index.keySet().forEach(name -> readers.put(name, new ArrayList<>()));
    for (int i = 0; i < ops.size(); i++) {
      OpSpec op = ops.get(i);
      Map<String, Integer> seen = new HashMap<>();
      for (int j = 0; j < op.inputs().size(); j++) {
        String input = op.inputs().get(j);
        String at = "ops[" + i + "].inputs[" + j + "]";
        Integer earlier = seen.putIfAbsent(input, j);
        if (input.equals(op.name())) {
          problems.add(at, "an op cannot read its own output");
        } else if (!index.containsKey(input)) {
          problems.add(at, Choices.unknown("op", input, index.keySet()));
        } else if (earlier != null) {
          problems.add(at, "'" + input + "' is already inputs[" + earlier + "]");
        } else if (index.containsKey(op.name())) {
          readers.get(input).add(op.name());
        }
      }
    }
    return readers;
  }

  private static Set<String> readBySomeOp(List<OpSpec> ops) {
    Set<String> read = new HashSet<>();
    for (OpSpec op : ops) {
      op.inputs().stream().filter(input -> !input.equals(op.name())).forEach(read::add);
    }
    return read;
  }

  private static void checkResponse(Set<String> names, Set<String> read, Problems problems) {
    List<String> unread = names.stream().filter(name -> !read.contains(name)).toList();
    if (unread.isEmpty()) {
      problems.add("ops", "no op is left for the response: every op is read by another op");
    } else if (unread.size() > 1) {
      problems.add(
          "ops",
          "exactly one op must be the response (read by no other op), but "
              + unread.size()
              + " are: "
              + String.join(", ", unread));
    }
  }

  /** Depth-first search; every edge back onto the search path closes one cycle. */
  private static final class CycleFinder {
    private final Map<String, List<String>> edges;
    private final Set<String> done = new HashSet<>();
    private final LinkedHashSet<String> onPath = new LinkedHashSet<>();
    private final Set<List<String>> cycles = new LinkedHashSet<>();

    CycleFinder(Map<String, List<String>> edges) {
      this.edges = edges;
    }

    Set<List<String>> cycles() {
      edges.keySet().forEach(this::visit);
      return cycles;
    }

    private void visit(String node) {
      if (done.contains(node)) {
        return;
      }
      onPath.add(node);
      for (String next : edges.get(node)) {
        if (onPath.contains(next)) {
          cycles.add(closeCycle(next));
        } else {
          visit(next);
        }
      }
      onPath.remove(node);
      done.add(node);
    }

    private List<String> closeCycle(String start) {
      List<String> path = new ArrayList<>(onPath);
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(start), path.size()));
      cycle.add(start);
      return cycle;
    }
  }
}
