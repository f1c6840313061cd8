package io.pipeserve.runtime.op;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Finds and creates user {@link JavaOp} classes: on the classpath or in a plugin directory. */
public final class JavaOps {
  private JavaOps() {}

  /**
   * A class loader over every jar in the directory (and the directory itself, for loose classes);
   * the application's loader when {@code pluginDir} is null.
   */
  public static ClassLoader pluginLoader(Path pluginDir) {
    ClassLoader parent = JavaOps.class.getClassLoader();
    if (pluginDir == null) {
      return parent;
    }
    if (!Files.isDirectory(pluginDir)) {
      throw new IllegalStateException("server.pluginDir: not a directory: " + pluginDir);
    }
    List<URL> urls = new ArrayList<>();
    try (Stream<Path> files = Files.list(pluginDir)) {
      urls.add(pluginDir.toUri().toURL());
      for (Path p : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
        urls.add(p.toUri().toURL());
      }
    } catch (MalformedURLException e) {
      throw new IllegalStateException("server.pluginDir: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalStateException("server.pluginDir: cannot list " + pluginDir, e);
    }
    return new URLClassLoader(urls.toArray(URL[]::new), parent);
  }

  static JavaOp instantiate(String className, ClassLoader loader) throws Exception {
    Class<?> type;
    try {
      type = Class.forName(className, true, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(
          "className: class '" + className + "' not found on the classpath or in server.pluginDir");
    }
    if (!JavaOp.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException(
          "className: " + className + " does not implement " + JavaOp.class.getName());
    }
    try {
      return (JavaOp) type.getDeclaredConstructor().newInstance();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(
          "className: " + className + " needs a public no-argument constructor");
    }
  }
}
