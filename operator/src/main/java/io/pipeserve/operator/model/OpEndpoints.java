package io.pipeserve.operator.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pipeserve.api.OpSpec;
import java.util.Arrays;

/**
 * How the gateways reach an op with pods of its own: the op's {@code endpoints} in the config they
 * read name the op's headless Service, which resolves to every ready pod of the op, and its gRPC
 * port ({@code endpoints: {dns: rec.ns.svc:8001}}). The op's pods serve it ({@code serve FILE --op
 * NAME}) on the port named there.
 */
public final class OpEndpoints {
  /**
   * Whether the spec records know {@code endpoints}: the op pods are only reachable through it, and
   * a config naming a field the runtime does not know would not load.
   */
  public static final boolean SUPPORTED =
      Arrays.stream(OpSpec.class.getRecordComponents())
          .anyMatch(c -> c.getName().equals("endpoints"));

  private OpEndpoints() {}

  /** The DNS name and port of an op's headless Service. */
  static String dns(String service, String namespace, int port) {
    return service + "." + namespace + ".svc:" + port;
  }

  /** Points {@code op} (an op of the config tree) at its pods. */
  static void render(ObjectNode op, String dns) {
    if (SUPPORTED) {
      op.putObject("endpoints").put("dns", dns);
    }
  }
}
