package io.pipeserve.api;

/**
 * How the pipeline is served.
 *
 * @param name the service name: Paddle clients call {@code POST /{name}/{method}}
 * @param httpPort HTTP port (Paddle HTTP, health); 0 picks a free port
 * @param grpcPort gRPC port (Paddle gRPC); 0 picks a free port
 * @param adminPort port serving admin actions; null means the HTTP port
 * @param workers event-loop threads; 0 means one per core
 * @param maxBodyBytes largest request body accepted
 * @param pluginDir directory of jars searched for {@code java} op classes; null for none
 */
public record ServerSpec(
    String name,
    Integer httpPort,
    Integer grpcPort,
    Integer adminPort,
    Integer workers,
    Long maxBodyBytes,
    String pluginDir) {
  public static final ServerSpec DEFAULT = new ServerSpec(null, null, null, null, null, null, null);

  public ServerSpec {
    name = name == null ? "pipeline" : name;
    httpPort = httpPort == null ? 8000 : httpPort;
    grpcPort = grpcPort == null ? 8001 : grpcPort;
    workers = workers == null ? 0 : workers;
    maxBodyBytes = maxBodyBytes == null ? 16L * 1024 * 1024 : maxBodyBytes;
  }

  /** The port admin actions are served on. */
  public int effectiveAdminPort() {
    return adminPort == null ? httpPort : adminPort;
  }
}
