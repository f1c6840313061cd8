package io.pipeserve.api;

import java.util.List;

/**
 * The model server a {@code remote} op calls over the Open Inference Protocol v2 (gRPC {@code
 * inference.GRPCInferenceService}): Triton, KServe, or another pipeserve.
 *
 * @param endpoints {@code host:port} of the servers' gRPC ports; a host name may resolve to several
 *     addresses, and calls are spread over every address of every endpoint (round robin)
 * @param model the remote model name
 * @param version the remote model version; empty lets the server choose (its version policy)
 * @param tls TLS to the servers; plaintext when unset
 * @param connections gRPC connections kept open to each address; calls are multiplexed on each
 */
public record RemoteSpec(
    List<String> endpoints, String model, String version, TlsSpec tls, Integer connections) {
  /** An empty block, for validating a {@code remote} op that has none. */
  public static final RemoteSpec EMPTY = new RemoteSpec(null, null, null, null, null);

  public RemoteSpec {
    endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    version = version == null ? "" : version;
    tls = tls == null ? TlsSpec.PLAINTEXT : tls;
    connections = connections == null ? 1 : connections;
  }

  /**
   * TLS settings of a remote op's connections.
   *
   * @param enabled whether the connections use TLS
   * @param caFile PEM file of the certificate authorities trusted to sign the servers'
   *     certificates, relative to the spec file's directory; unset means the JVM's default trust
   *     store
   */
  public record TlsSpec(Boolean enabled, String caFile) {
    public static final TlsSpec PLAINTEXT = new TlsSpec(null, null);

    public TlsSpec {
      enabled = enabled == null ? Boolean.FALSE : enabled;
    }
  }
}
