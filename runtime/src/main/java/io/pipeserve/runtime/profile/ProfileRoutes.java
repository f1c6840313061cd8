package io.pipeserve.runtime.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /v2/profile}: the {@link ProfileTable} as JSON ({@code {"pipeline", "profile": true,
 * "rows": [...]}}), or as the text table with {@code ?format=text}. Without {@code dag.profile} it
 * answers 404 saying how to turn it on.
 */
public final class ProfileRoutes {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String pipeline;
  private final ProfileTable table;

  /**
   * @param table null when dag.profile is off
   */
  public ProfileRoutes(String pipeline, ProfileTable table) {
    this.pipeline = pipeline;
    this.table = table;
  }

  public void mount(Router router) {
    router.get("/v2/profile").handler(this::profile);
  }

  private void profile(RoutingContext rc) {
    if (table == null) {
      rc.response()
          .setStatusCode(404)
          .putHeader("Content-Type", "application/json")
          .end(
              "{\"error\":\"profiling is off for pipeline '"
                  + pipeline
                  + "'; set dag.profile: true in the spec and restart\"}");
      return;
    }
    if ("text".equals(rc.request().getParam("format"))) {
      rc.response()
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .end(table.text(pipeline) + "\n");
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("pipeline", pipeline);
    body.put("profile", true);
    body.put("rows", table.rows());
    try {
      rc.response()
          .putHeader("Content-Type", "application/json")
          .end(JSON.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      rc.fail(e);
    }
  }
}
