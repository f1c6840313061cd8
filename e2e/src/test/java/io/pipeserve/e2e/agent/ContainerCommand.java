package io.pipeserve.e2e.agent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a container of a pod becomes a process on this node, with Kubernetes' rules: the container's
 * {@code command} replaces the image's ENTRYPOINT (and drops its CMD), its {@code args} replace the
 * CMD; the environment is the image's, then the container's ({@code value}, or {@code valueFrom} a
 * field of the pod), {@code $(VAR)} expanded in the environment, command and arguments ({@code $$}
 * for a literal {@code $}). All of that is as a container sees it; then, once, its paths are
 * rewritten to where they are on this machine (the pod's mounts, the image's files). Last, what the
 * node adds, in its own paths: the image's PATH here, the image's network arguments, and for JVMs
 * the container's memory limit ({@code -XX:MaxRAM}, which a JVM otherwise reads from its cgroup)
 * and the cluster DNS ({@code jdk.net.hosts.file}).
 *
 * @param command the process's command line
 * @param env its whole environment (nothing of the agent's own environment leaks in)
 * @param workingDir its working directory
 */
record ContainerCommand(List<String> command, Map<String, String> env, Path workingDir) {
  private static final Pattern REFERENCE =
      Pattern.compile("\\$(\\$|\\(([A-Za-z_][A-Za-z0-9_]*)\\))");

  static ContainerCommand of(
      Pod pod, Container container, LocalImage image, PodFiles files, Path hostsFile) {
    Map<String, String> env = new LinkedHashMap<>(image.env());
    for (EnvVar var : container.getEnv()) {
      String value =
          var.getValueFrom() != null ? field(pod, var) : expand(nullToEmpty(var.getValue()), env);
      env.put(var.getName(), value);
    }
    List<String> command = new ArrayList<>();
    boolean ownCommand = !container.getCommand().isEmpty();
    command.addAll(ownCommand ? container.getCommand() : image.entrypoint());
    command.addAll(
        !container.getArgs().isEmpty() || ownCommand ? container.getArgs() : image.cmd());
    if (command.isEmpty()) {
      throw new IllegalArgumentException(
          "container " + container.getName() + " has no command and its image no entrypoint");
    }
    command.replaceAll(word -> files.rewrite(expand(word, env), image.files()));
    env.replaceAll((k, v) -> files.rewrite(v, image.files()));
    String workingDir = container.getWorkingDir();
    Path dir =
        workingDir == null || workingDir.isEmpty()
            ? files.root()
            : Path.of(files.rewrite(workingDir, image.files()));

    for (String arg : image.networkArgs()) {
      command.add(arg.replace("{podIP}", pod.getStatus().getPodIP()));
    }
    env.putIfAbsent("PATH", image.path());
    String javaOptions = env.getOrDefault("JAVA_TOOL_OPTIONS", "");
    Quantity memory =
        container.getResources() == null || container.getResources().getLimits() == null
            ? null
            : container.getResources().getLimits().get("memory");
    if (memory != null) {
      javaOptions += " -XX:MaxRAM=" + Quantity.getAmountInBytes(memory).longValue();
    }
    javaOptions += " -Djdk.net.hosts.file=" + hostsFile.toAbsolutePath();
    env.put("JAVA_TOOL_OPTIONS", javaOptions.strip());
    return new ContainerCommand(List.copyOf(command), env, dir);
  }

  ProcessBuilder processBuilder(Path log) {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workingDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().clear();
    builder.environment().putAll(env);
    return builder;
  }

  private static String field(Pod pod, EnvVar var) {
    ObjectFieldSelector ref = var.getValueFrom().getFieldRef();
    if (ref == null) {
      throw new IllegalArgumentException(
          "env " + var.getName() + ": the node agent supports valueFrom.fieldRef only");
    }
    return switch (ref.getFieldPath()) {
      case "metadata.name" -> pod.getMetadata().getName();
      case "metadata.namespace" -> pod.getMetadata().getNamespace();
      case "metadata.uid" -> pod.getMetadata().getUid();
      case "spec.nodeName" -> pod.getSpec().getNodeName();
      case "spec.serviceAccountName" -> nullToEmpty(pod.getSpec().getServiceAccountName());
      case "status.podIP" -> pod.getStatus().getPodIP();
      case "status.hostIP" -> pod.getStatus().getHostIP();
      default ->
          throw new IllegalArgumentException(
              "env " + var.getName() + ": unsupported fieldRef " + ref.getFieldPath());
    };
  }

  /**
   * {@code $(NAME)} of a defined variable replaced by its value, others left as they are; {@code
   * $$} is a literal {@code $} (so {@code $$(NAME)} stays {@code $(NAME)}).
   */
  static String expand(String text, Map<String, String> env) {
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = m.group(1).equals("$") ? "$" : env.get(m.group(2));
      m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
    }
    return m.appendTail(out).toString();
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
