package io.pipeserve.runtime.gateway.oip;

import java.util.List;

/**
 * What {@code GET /v2} and ServerMetadata answer.
 *
 * @param extensions the protocol extensions this server implements, and only those: the binary
 *     tensor data of HTTP, request/response parameters, and Triton's trace setting protocol
 */
public record ServerMetadata(String name, String version, List<String> extensions) {
  public static final List<String> EXTENSIONS =
      List.of("binary_tensor_data", "parameters", "trace");

  /** This build of pipeserve. */
  public static ServerMetadata current() {
    String version = ServerMetadata.class.getPackage().getImplementationVersion();
    return new ServerMetadata("pipeserve", version == null ? "development" : version, EXTENSIONS);
  }
}
