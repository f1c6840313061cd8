package io.pipeserve.api;

import java.util.Set;
import java.util.regex.Pattern;

/** Rules of {@code server}. */
final class ServerRules {
  // RFC 3986 unreserved characters: the name is used unescaped in POST /{name}/{method}.
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.~-]+");

  // First path segments the server itself serves; a pipeline named so would be shadowed.
  private static final Set<String> RESERVED = Set.of("v2", "metrics");

  private ServerRules() {}

  static void check(ServerSpec server, Problems problems) {
    checkName(server.name(), problems);
    checkPort("server.httpPort", server.httpPort(), problems);
    checkPort("server.grpcPort", server.grpcPort(), problems);
    if (server.adminPort() != null) {
      checkPort("server.adminPort", server.adminPort(), problems);
    }
    checkClashes(server, problems);
    problems.atLeast("server.workers", server.workers(), 0);
    problems.atLeast("server.maxBodyBytes", server.maxBodyBytes(), 1);
  }

  private static void checkName(String name, Problems problems) {
    if (name.isBlank()) {
      problems.add("server.name", "must not be blank");
    } else if (!SEGMENT.matcher(name).matches() || name.equals(".") || name.equals("..")) {
      problems.add(
          "server.name",
          "'"
              + name
              + "' is not usable as a URL path segment: use letters, digits, '_', '.', '~' and '-'");
    } else if (RESERVED.contains(name)) {
      problems.add("server.name", "'" + name + "' is reserved: the server serves /" + name + "/");
    }
  }

  private static void checkPort(String path, int port, Problems problems) {
    if (port < 0 || port > 65535) {
      problems.add(path, "must be in 0..65535 (0 picks a free port), got " + port);
    }
  }

  // HTTP and gRPC run as separate servers; the admin port may share the HTTP server, not gRPC's.
  private static void checkClashes(ServerSpec server, Problems problems) {
    int http = server.httpPort();
    int grpc = server.grpcPort();
    if (grpc != 0 && grpc == http) {
      problems.add("server.grpcPort", grpc + " is also server.httpPort; give each its own port");
    }
    Integer admin = server.adminPort();
    if (admin != null && admin != 0 && admin == grpc) {
      problems.add(
          "server.adminPort",
          admin + " is also server.grpcPort; use server.httpPort or a port of its own");
    }
  }
}
