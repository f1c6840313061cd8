package io.pipeserve.e2e.agent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A pod's files on the node, under a directory of its own that stands in for the containers' mount
 * namespace: each volume is a directory (a ConfigMap's keys as files, an emptyDir empty), and each
 * mount appears at the pod's directory plus its mount path: a link to the volume, or for a {@code
 * subPath} a copy of that one file taken when the pod starts (as Kubernetes does, a subPath mount
 * does not follow later ConfigMap changes). The absolute paths a container names (in its command,
 * arguments, environment and working directory) are rewritten to those places.
 */
final class PodFiles {
  private final Path root;
  private final List<String> mountPaths;

  private PodFiles(Path root, List<String> mountPaths) {
    this.root = root;
    this.mountPaths = List.copyOf(mountPaths);
  }

  /**
   * Lays out the volumes and mounts of {@code spec} under {@code root}.
   *
   * @param configMaps the ConfigMaps of the pod's namespace, by name
   * @throws IllegalArgumentException naming a volume the agent cannot provide (PVCs, Secrets ...)
   */
  static PodFiles create(Path root, PodSpec spec, Function<String, ConfigMap> configMaps) {
    try {
      Files.createDirectories(root);
      for (Volume volume : spec.getVolumes()) {
        Path dir = Files.createDirectories(volumeDir(root, volume.getName()));
        if (volume.getConfigMap() != null) {
          writeConfigMap(dir, volume, configMaps.apply(volume.getConfigMap().getName()));
        } else if (volume.getEmptyDir() == null) {
          throw new IllegalArgumentException(
              "volume "
                  + volume.getName()
                  + ": the node agent provides configMap and emptyDir only");
        }
      }
      List<String> mountPaths = new ArrayList<>();
      List<Container> containers = new ArrayList<>(spec.getInitContainers());
      containers.addAll(spec.getContainers());
      for (Container container : containers) {
        for (VolumeMount mount : container.getVolumeMounts()) {
          if (!mountPaths.contains(mount.getMountPath())) {
            mount(root, mount);
            mountPaths.add(mount.getMountPath());
          }
        }
      }
      return new PodFiles(root, mountPaths);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path root() {
    return root;
  }

  /** Where {@code path}, as a container sees it, is on this machine. */
  Path resolve(String path) {
    return Path.of(rewrite(path));
  }

  /** {@code text} with every mounted path it names replaced by where that is on this machine. */
  String rewrite(String text) {
    return rewrite(text, Map.of());
  }

  /**
   * {@code text}, as a container sees it, with every path it names that is mounted, or else one of
   * the image's {@code files}, replaced by where that is on this machine. A path is one only where
   * it stands whole: from the root ({@code /tmp}, not {@code /x/tmp} or {@code ${HOME}/tmp}) to a
   * separator ({@code /tmp/a}, {@code /tmp'}, {@code /tmp)}, not {@code /tmpfoo}).
   */
  String rewrite(String text, Map<String, Path> imageFiles) {
    Map<String, String> local = new HashMap<>();
    imageFiles.forEach((path, file) -> local.put(path, file.toAbsolutePath().toString()));
    mountPaths.forEach(path -> local.put(path, root + path));
    if (text == null || local.isEmpty()) {
      return text;
    }
    Pattern paths =
        Pattern.compile(
            "(?<![\\w.})$])("
                + local.keySet().stream()
                    .sorted(Comparator.comparingInt(String::length).reversed())
                    .map(Pattern::quote)
                    .collect(Collectors.joining("|"))
                + ")(?=$|[/\\s'\":,;=)}])");
    Matcher m = paths.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(local.get(m.group(1))));
    }
    return m.appendTail(out).toString();
  }

  private static Path volumeDir(Path root, String volume) {
    return root.resolve("volumes").resolve(volume);
  }

  private static void writeConfigMap(Path dir, Volume volume, ConfigMap configMap)
      throws IOException {
    if (configMap == null) {
      throw new IllegalArgumentException(
          "volume "
              + volume.getName()
              + ": configmap "
              + volume.getConfigMap().getName()
              + " not found");
    }
    Map<String, String> data = configMap.getData() == null ? Map.of() : configMap.getData();
    List<KeyToPath> items = volume.getConfigMap().getItems();
    if (items == null || items.isEmpty()) {
      for (Map.Entry<String, String> entry : data.entrySet()) {
        Files.writeString(dir.resolve(entry.getKey()), entry.getValue());
      }
    } else {
      for (KeyToPath item : items) {
        Path file = dir.resolve(item.getPath());
        Files.createDirectories(file.getParent());
        Files.writeString(file, data.getOrDefault(item.getKey(), ""));
      }
    }
  }

  private static void mount(Path root, VolumeMount mount) throws IOException {
    if (!mount.getMountPath().startsWith("/")) {
      throw new IllegalArgumentException("mount path " + mount.getMountPath() + " is not absolute");
    }
    Path target = root.resolve(mount.getMountPath().substring(1));
    Path source = volumeDir(root, mount.getName());
    if (!Files.isDirectory(source)) {
      throw new IllegalArgumentException("mount of unknown volume " + mount.getName());
    }
    if (mount.getSubPath() != null && !mount.getSubPath().isEmpty()) {
      source = source.resolve(mount.getSubPath());
    }
    Files.createDirectories(target.getParent());
    if (Files.isRegularFile(source)) {
      Files.copy(source, target);
    } else {
      Files.createDirectories(source);
      Files.createSymbolicLink(target, source.toAbsolutePath());
    }
  }
}
