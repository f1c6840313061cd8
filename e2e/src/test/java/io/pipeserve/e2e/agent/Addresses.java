package io.pipeserve.e2e.agent;

/**
 * The node's address plan on the loopback network (all of 127.0.0.0/8 reaches this machine on
 * Linux): each pod gets an address of its own in 127.10.0.0/16, as a pod IP, and each Service one
 * in 127.20.0.0/16, as its cluster IP. An address is never handed out twice in a run, so a
 * restarted pod's old connections cannot land on a new pod.
 */
final class Addresses {
  private int nextPod = 1;
  private int nextService = 1;

  synchronized String pod() {
    return address(10, nextPod++);
  }

  synchronized String service() {
    return address(20, nextService++);
  }

  /** 127.{net}.x.y for the n-th address, skipping .0 and .255 in the last byte. */
  static String address(int net, int n) {
    int x = (n - 1) / 254;
    int y = (n - 1) % 254 + 1;
    if (x > 255) {
      throw new IllegalStateException("the node agent ran out of addresses in 127." + net + "/16");
    }
    return "127." + net + "." + x + "." + y;
  }
}
