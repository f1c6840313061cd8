package io.pipeserve.api;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Rules of an op's {@code endpoints}. */
final class EndpointsRules {
  private EndpointsRules() {}

  static void check(String at, EndpointsSpec endpoints, Problems problems) {
    boolean dns = endpoints.dns() != null;
    boolean addresses = !endpoints.addresses().isEmpty();
    if (dns && addresses) {
      problems.add(
          at,
          "set either dns (a name resolving to every replica) or addresses (a fixed list), not"
              + " both");
    } else if (!dns && !addresses) {
      problems.add(
          at,
          "set dns (a name resolving to every replica, e.g. a headless Service: rec.ocr.svc:9100)"
              + " or addresses (a fixed list of host:port)");
    }
    if (dns) {
      checkHostPort(at + ".dns", endpoints.dns(), problems);
    }
    checkAddresses(at + ".addresses", endpoints.addresses(), problems);
    if (endpoints.refreshMs() != null) {
      if (!dns) {
        problems.add(at + ".refreshMs", "only used with dns: a fixed list is never resolved again");
      } else {
        problems.atLeast(at + ".refreshMs", endpoints.refreshMs(), 100);
      }
    }
  }

  private static void checkAddresses(String at, List<String> addresses, Problems problems) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < addresses.size(); i++) {
      String address = addresses.get(i);
      if (checkHostPort(at + "[" + i + "]", address, problems) && !seen.add(address)) {
        problems.add(at + "[" + i + "]", "'" + address + "' is listed twice");
      }
    }
  }

  private static boolean checkHostPort(String at, String text, Problems problems) {
    try {
      EndpointsSpec.HostPort.parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      problems.add(at, e.getMessage());
      return false;
    }
  }
}
