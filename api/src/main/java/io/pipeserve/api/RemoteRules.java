package io.pipeserve.api;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Rules of a {@code remote} op's {@code remote} block. */
final class RemoteRules {
  private RemoteRules() {}

  /**
   * @param baseDir directory {@code tls.caFile} is relative to; null skips the file check
   */
  static void check(String at, RemoteSpec remote, Path baseDir, Problems problems) {
    checkEndpoints(at + ".endpoints", remote.endpoints(), problems);
    if (remote.model() == null || remote.model().isBlank()) {
      problems.add(
          at + ".model", "required for kind remote: the model's name on the remote server");
    }
    problems.atLeast(at + ".connections", remote.connections(), 1);
    checkTls(at + ".tls", remote.tls(), baseDir, problems);
  }

  private static void checkEndpoints(String at, List<String> endpoints, Problems problems) {
    if (endpoints.isEmpty()) {
      problems.add(
          at,
          "required for kind remote: the host:port of a model server's gRPC port, e.g. triton:8001");
      return;
    }
    Set<Endpoint> seen = new HashSet<>();
    for (int i = 0; i < endpoints.size(); i++) {
      try {
        if (!seen.add(Endpoint.parse(endpoints.get(i)))) {
          problems.add(at + "[" + i + "]", "'" + endpoints.get(i) + "' is listed twice");
        }
      } catch (IllegalArgumentException e) {
        problems.add(at + "[" + i + "]", e.getMessage());
      }
    }
  }

  private static void checkTls(String at, RemoteSpec.TlsSpec tls, Path baseDir, Problems problems) {
    if (tls.caFile() == null) {
      return;
    }
    if (!tls.enabled()) {
      problems.add(at + ".caFile", "only used with tls.enabled: true");
    } else if (tls.caFile().isBlank()) {
      problems.add(at + ".caFile", "must not be blank; leave it unset to trust the JVM's CAs");
    } else {
      OpRules.checkFile(at + ".caFile", tls.caFile(), baseDir, problems);
    }
  }
}
