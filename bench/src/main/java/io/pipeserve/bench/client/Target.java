package io.pipeserve.bench.client;

import io.vertx.core.Vertx;

/** A server endpoint and the request to send it, in one protocol. */
public interface Target {
  /** {@code http} or {@code grpc}. */
  String protocol();

  /** Where the requests go, for reports: a URL or {@code host:port}. */
  String address();

  /**
   * A transport for one event loop that carries up to {@code maxInFlight} requests at a time, each
   * on its own connection (HTTP/1.1) or stream (gRPC).
   */
  Transport open(Vertx vertx, int maxInFlight);
}
