package io.pipeserve.e2e.agent;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the node agent runs for a container image: the image's entrypoint, default arguments and
 * environment as its Dockerfile sets them (paths as a container sees them), the image's own files
 * found on this machine, and the PATH its processes get here.
 *
 * @param entrypoint the image's ENTRYPOINT (empty: the container's command is run as is)
 * @param cmd the image's CMD
 * @param env the image's ENV
 * @param files where the image's files are on this machine: each key a path in the image, as a
 *     prefix; container paths under it are rewritten to the value, as mounted paths are
 * @param path the PATH of the image's processes on this machine (the image's tools: a JRE, a shell)
 * @param networkArgs arguments appended to the command that bind the process to its pod's address,
 *     {@code {podIP}} in them replaced: the agent's stand-in for a network namespace, in which a
 *     process listening on any address listens on its pod's address only
 */
public record LocalImage(
    List<String> entrypoint,
    List<String> cmd,
    Map<String, String> env,
    Map<String, Path> files,
    String path,
    List<String> networkArgs) {

  /** An image whose files are this machine's, on the agent's PATH. */
  public LocalImage(
      List<String> entrypoint,
      List<String> cmd,
      Map<String, String> env,
      List<String> networkArgs) {
    this(entrypoint, cmd, env, Map.of(), System.getenv("PATH"), networkArgs);
  }

  /**
   * An image as stage {@code stage} of {@code dockerfile} builds it: its ENV, ENTRYPOINT and CMD,
   * with {@code files} saying where the build put the image's files on this machine. Its {@code
   * java} is the JVM running this agent (the image's JRE).
   */
  public static LocalImage fromDockerfile(
      Path dockerfile, String stage, Map<String, Path> files, List<String> networkArgs) {
    List<String> instructions = stage(instructions(dockerfile), stage, dockerfile);
    Map<String, String> env = new LinkedHashMap<>();
    List<String> entrypoint = List.of();
    List<String> cmd = List.of();
    for (String instruction : instructions) {
      String[] parts = instruction.split("\\s+", 2);
      String keyword = parts[0].toUpperCase();
      String rest = parts.length > 1 ? parts[1].strip() : "";
      switch (keyword) {
        case "ENV" -> env.putAll(envPairs(rest));
        case "ENTRYPOINT" -> entrypoint = execForm(rest, dockerfile);
        case "CMD" -> cmd = execForm(rest, dockerfile);
        default -> {}
      }
    }
    String path = Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH");
    return new LocalImage(entrypoint, cmd, env, Map.copyOf(files), path, networkArgs);
  }

  /** An image with a POSIX shell and the host's tools, {@code bin} first on its PATH. */
  public static LocalImage shell(Path bin) {
    return new LocalImage(
        List.of(), List.of(), Map.of(), Map.of(), bin + ":" + System.getenv("PATH"), List.of());
  }

  /** This image without its network arguments (for commands run beside the main process). */
  LocalImage withoutNetworkArgs() {
    return new LocalImage(entrypoint, cmd, env, files, path, List.of());
  }

  /** The Dockerfile's instructions, continuation lines joined, comments and blanks dropped. */
  static List<String> instructions(Path dockerfile) {
    List<String> lines;
    try {
      lines = Files.readAllLines(dockerfile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : lines) {
      String stripped = line.strip();
      // Comment and blank lines are dropped, also inside a continuation (as Docker does).
      if (stripped.isEmpty() || stripped.startsWith("#")) {
        continue;
      }
      if (stripped.endsWith("\\")) {
        current.append(stripped, 0, stripped.length() - 1).append(' ');
      } else {
        instructions.add(current.append(stripped).toString().strip());
        current.setLength(0);
      }
    }
    return instructions;
  }

  private static List<String> stage(List<String> instructions, String stage, Path dockerfile) {
    List<String> found = null;
    for (String instruction : instructions) {
      if (instruction.toUpperCase().startsWith("FROM ")) {
        String[] words = instruction.split("\\s+");
        boolean named =
            words.length >= 4
                && words[words.length - 2].equalsIgnoreCase("AS")
                && words[words.length - 1].equals(stage);
        if (found != null) {
          break;
        }
        if (named) {
          found = new ArrayList<>();
        }
      } else if (found != null) {
        found.add(instruction);
      }
    }
    if (found == null) {
      throw new IllegalArgumentException(dockerfile + " has no stage named " + stage);
    }
    return found;
  }

  /** {@code KEY=value KEY2="value with spaces" KEY3='single-quoted'} */
  static Map<String, String> envPairs(String text) {
    Map<String, String> pairs = new LinkedHashMap<>();
    int i = 0;
    while (i < text.length()) {
      while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      int eq = text.indexOf('=', i);
      if (eq < 0) {
        break;
      }
      String key = text.substring(i, eq);
      StringBuilder value = new StringBuilder();
      i = eq + 1;
      char quote = 0; // the quote the value is inside of, if any
      while (i < text.length() && (quote != 0 || !Character.isWhitespace(text.charAt(i)))) {
        char c = text.charAt(i++);
        if (quote == 0 && (c == '"' || c == '\'')) {
          quote = c;
        } else if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote != '\'' && i < text.length()) {
          value.append(text.charAt(i++));
        } else {
          value.append(c);
        }
      }
      pairs.put(key, value.toString());
    }
    return pairs;
  }

  private static List<String> execForm(String json, Path dockerfile) {
    try {
      return new ObjectMapper().readValue(json, new TypeReference<List<String>>() {});
    } catch (IOException e) {
      throw new IllegalArgumentException(
          dockerfile + ": only the exec (JSON array) form is supported: " + json, e);
    }
  }
}
