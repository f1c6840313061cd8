package io.pipeserve.runtime.predictor.remote;

import io.grpc.ChannelCredentials;
import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.pipeserve.api.Endpoint;
import io.pipeserve.api.RemoteSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The warm connection pool of one remote op: {@code connections} gRPC channels per endpoint. Each
 * channel resolves its host with DNS and spreads its calls round robin over every address found, so
 * a headless Kubernetes Service reaches all its pods; calls go to the channels in turn, passing
 * over those whose every connection is failing.
 */
final class RemoteChannels implements AutoCloseable {
  // Pings only while calls are open, and no more often than the 5 minutes that grpc-java and
  // Triton servers accept by default: more eager pings are answered with GOAWAY (too_many_pings).
  private static final long KEEPALIVE_MINUTES = 5;
  private static final long KEEPALIVE_TIMEOUT_SECONDS = 20;
  // 30 days or more turns idle mode off: a channel keeps its connections between calls.
  private static final long IDLE_DAYS = 30;
  private static final long CLOSE_GRACE_SECONDS = 5;

  /** A channel and the endpoint it reaches, which errors name. */
  record Target(Endpoint endpoint, ManagedChannel channel) {}

  private final List<Target> targets;
  private final AtomicInteger next = new AtomicInteger();

  private RemoteChannels(List<Target> targets) {
    this.targets = targets;
  }

  /**
   * Creates the channels and starts connecting them; waits for no server.
   *
   * @param baseDir the directory {@code tls.caFile} is relative to
   * @throws IllegalStateException when the CA file cannot be read
   */
  static RemoteChannels open(RemoteSpec spec, Path baseDir) {
    ChannelCredentials credentials = credentials(spec.tls(), baseDir);
    List<Endpoint> endpoints = spec.endpoints().stream().map(Endpoint::parse).toList();
    List<Target> targets = new ArrayList<>();
    try {
      // Interleaved (a, b, a, b), so that calls in turn alternate between endpoints.
      for (int i = 0; i < spec.connections(); i++) {
        for (Endpoint endpoint : endpoints) {
          ManagedChannel channel = channel(endpoint, credentials);
          channel.getState(true);
          targets.add(new Target(endpoint, channel));
        }
      }
    } catch (RuntimeException e) {
      targets.forEach(t -> t.channel().shutdownNow());
      throw e;
    }
    return new RemoteChannels(List.copyOf(targets));
  }

  /**
   * The channel of the next call: the next in turn that is connected; else the next that is not
   * failing (still connecting, a server that has just started); else, when all are failing, the
   * next in turn (its call fails at once with the reason).
   */
  Target pick() {
    int first = Math.floorMod(next.getAndIncrement(), targets.size());
    Target t = next(first, ConnectivityState.READY);
    if (t == null) {
      t = next(first, null);
    }
    return t != null ? t : targets.get(first);
  }

  /** How many channels there are: the most distinct ones that calls in turn reach. */
  int size() {
    return targets.size();
  }

  /** The first channel from {@code first} on in {@code state}, or not failing when null. */
  private Target next(int first, ConnectivityState state) {
    int n = targets.size();
    for (int i = 0; i < n; i++) {
      Target t = targets.get((first + i) % n);
      ConnectivityState s = t.channel().getState(false);
      if (state == null ? s != ConnectivityState.TRANSIENT_FAILURE : s == state) {
        return t;
      }
    }
    return null;
  }

  @Override
  public void close() {
    targets.forEach(t -> t.channel().shutdown());
    try {
      for (Target t : targets) {
        if (!t.channel().awaitTermination(CLOSE_GRACE_SECONDS, TimeUnit.SECONDS)) {
          t.channel().shutdownNow();
        }
      }
    } catch (InterruptedException e) {
      targets.forEach(t -> t.channel().shutdownNow());
      Thread.currentThread().interrupt();
    }
  }

  private static ManagedChannel channel(Endpoint endpoint, ChannelCredentials credentials) {
    return Grpc.newChannelBuilder("dns:///" + endpoint, credentials)
        .defaultLoadBalancingPolicy("round_robin")
        .idleTimeout(IDLE_DAYS, TimeUnit.DAYS)
        .keepAliveTime(KEEPALIVE_MINUTES, TimeUnit.MINUTES)
        .keepAliveTimeout(KEEPALIVE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        // The op's own model server is trusted; its answers are as large as its outputs are.
        .maxInboundMessageSize(Integer.MAX_VALUE)
        .userAgent("pipeserve")
        .build();
  }

  private static ChannelCredentials credentials(RemoteSpec.TlsSpec tls, Path baseDir) {
    if (!tls.enabled()) {
      return InsecureChannelCredentials.create();
    }
    if (tls.caFile() == null) {
      return TlsChannelCredentials.create();
    }
    Path ca = baseDir.resolve(tls.caFile()).toAbsolutePath().normalize();
    try {
      byte[] pem = Files.readAllBytes(ca);
      // Checked here, as the transport would only say "No certificate data found" and not where.
      if (CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem))
          .isEmpty()) {
        throw new CertificateException("no certificate found");
      }
      return TlsChannelCredentials.newBuilder().trustManager(new ByteArrayInputStream(pem)).build();
    } catch (IOException | CertificateException e) {
      throw new IllegalStateException(
          "remote.tls.caFile: cannot read PEM certificates from " + ca + ": " + e.getMessage(), e);
    }
  }
}
