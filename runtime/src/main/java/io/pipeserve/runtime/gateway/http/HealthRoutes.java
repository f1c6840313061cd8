package io.pipeserve.runtime.gateway.http;

import io.pipeserve.runtime.gateway.RequestGate;
import io.vertx.ext.web.Router;

/**
 * The Open Inference Protocol health endpoints, which Kubernetes probes: live while the process
 * runs, ready while the pipeline is started and not draining.
 */
public final class HealthRoutes {
  private HealthRoutes() {}

  public static void mount(Router router, RequestGate gate) {
    router.get("/v2/health/live").handler(rc -> rc.response().setStatusCode(200).end());
    router
        .get("/v2/health/ready")
        .handler(rc -> rc.response().setStatusCode(gate.isReady() ? 200 : 503).end());
  }
}
