package io.pipeserve.operator.model;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How the gateways reach an op with pods of its own: the op's {@code endpoints} in the config they
 * read name the op's headless Service, which resolves to every ready pod of the op, and its gRPC
 * port ({@code endpoints: {dns: rec.ns.svc:8001}}). The op's pods serve it ({@code serve FILE --op
 * NAME}) on the port named there.
 */
public final class OpEndpoints {
  private OpEndpoints() {}

  /** The DNS name and port of an op's headless Service. */
  static String dns(String service, String namespace, int port) {
    return service + "." + namespace + ".svc:" + port;
  }

  /** Points {@code op} (an op of the config tree) at its pods. */
  static void render(ObjectNode op, String dns) {
    op.putObject("endpoints").put("dns", dns);
  }
}
