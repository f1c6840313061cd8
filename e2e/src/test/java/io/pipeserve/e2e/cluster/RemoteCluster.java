package io.pipeserve.e2e.cluster;

/** Placeholder until the real-cluster mode lands. */
final class RemoteCluster {
  private RemoteCluster() {}

  static Cluster connect(E2eConfig config) {
    throw new UnsupportedOperationException("real-cluster mode not built yet");
  }
}
