package io.pipeserve.e2e.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives scenario classes the {@link Cluster} to run against: one for the whole test run, chosen by
 * the environment ({@link E2eConfig}), started at its first use and closed when the run ends.
 */
public final class ClusterExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ClusterExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Cluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return cluster(context);
  }

  /** The run's cluster, started at the first call. */
  public static Cluster cluster(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(Started.class, k -> start(), Started.class)
        .cluster();
  }

  private static Started start() {
    E2eConfig config = E2eConfig.fromEnvironment(System.getenv());
    Cluster cluster =
        config.remote()
            ? RemoteCluster.connect(config)
            : LocalCluster.start(repo(), repo().resolve("e2e/target/cluster"), config);
    return new Started(cluster);
  }

  /** The repository's root: the tests run in {@code e2e/}. */
  public static Path repo() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    Path root = dir.getFileName().toString().equals("e2e") ? dir.getParent() : dir;
    if (!Files.isDirectory(root.resolve("crds")) || !Files.isDirectory(root.resolve("e2e"))) {
      throw new IllegalStateException("not run from the repository or e2e/: " + dir);
    }
    return root;
  }

  /** The store closes what it holds when the run ends. */
  private record Started(Cluster cluster) implements AutoCloseable {
    @Override
    public void close() {
      cluster.close();
    }
  }
}
