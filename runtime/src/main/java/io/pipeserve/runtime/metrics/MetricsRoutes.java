package io.pipeserve.runtime.metrics;

import io.vertx.ext.web.Router;

/** {@code GET /metrics}: Prometheus' text format, on the HTTP port and the admin port. */
public final class MetricsRoutes {
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private MetricsRoutes() {}

  public static void mount(Router router, PipelineMetrics metrics) {
    router
        .get("/metrics")
        .handler(
            rc ->
                // Scraping walks every histogram bucket: off the event loop.
                rc.vertx()
                    .executeBlocking(metrics::scrape, false)
                    .onSuccess(
                        text -> rc.response().putHeader("Content-Type", CONTENT_TYPE).end(text))
                    .onFailure(rc::fail));
  }
}
