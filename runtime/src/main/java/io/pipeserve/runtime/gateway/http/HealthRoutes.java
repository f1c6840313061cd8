package io.pipeserve.runtime.gateway.http;

import io.pipeserve.runtime.gateway.RequestGate;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.function.Supplier;

/**
 * The Open Inference Protocol health endpoints, which Kubernetes probes: live while the process
 * runs, ready while the pipeline is started and not draining and every op that runs elsewhere has a
 * ready replica. A not-ready answer (503) says why: {@code {"error": "..."}}.
 */
public final class HealthRoutes {
  private HealthRoutes() {}

  public static void mount(Router router, RequestGate gate) {
    mount(router, gate::notReady);
  }

  /**
   * @param notReady why the server is not ready; null when it is
   */
  public static void mount(Router router, Supplier<String> notReady) {
    router.get("/v2/health/live").handler(rc -> rc.response().setStatusCode(200).end());
    router
        .get("/v2/health/ready")
        .handler(
            rc -> {
              String why = notReady.get();
              if (why == null) {
                rc.response().setStatusCode(200).end();
              } else {
                rc.response()
                    .setStatusCode(503)
                    .putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("error", why).encode());
              }
            });
  }
}
