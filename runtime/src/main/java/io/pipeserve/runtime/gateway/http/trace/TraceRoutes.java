package io.pipeserve.runtime.gateway.http.trace;

import io.pipeserve.runtime.trace.TraceSettingException;
import io.pipeserve.runtime.trace.TraceSettingException.Reason;
import io.pipeserve.runtime.trace.TraceSettingView;
import io.pipeserve.runtime.trace.TraceSettings;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Triton's trace extension over HTTP: {@code GET|POST /v2/trace/setting} and {@code GET|POST
 * /v2/models/{model}/trace/setting}, where a model is the pipeline or one of its ops. The answer is
 * the scope's settings as Triton writes them (strings, trace_level an array); a failure is {@code
 * {"error": "..."}} with 400 (bad value, unknown model), 501 (a setting fixed at start-up) or 403
 * (a change on a read-only port).
 */
public final class TraceRoutes {
  /** A settings body is a few hundred bytes; anything larger is not one. */
  private static final long MAX_BODY_BYTES = 64 * 1024;

  private final TraceSettings settings;
  private final boolean changesAllowed;

  /**
   * @param changesAllowed whether POST may change settings here: on the admin port, and on the HTTP
   *     port when it doubles as the admin port
   */
  public TraceRoutes(TraceSettings settings, boolean changesAllowed) {
    this.settings = settings;
    this.changesAllowed = changesAllowed;
  }

  public void mount(Router router) {
    for (String path : List.of("/v2/trace/setting", "/v2/models/:model/trace/setting")) {
      router.get(path).handler(this::read);
      router
          .post(path)
          .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
          .handler(this::change);
    }
  }

  private void read(RoutingContext rc) {
    try {
      reply(rc, settings.view(rc.pathParam("model")));
    } catch (TraceSettingException e) {
      fail(rc, e);
    }
  }

  private void change(RoutingContext rc) {
    if (!changesAllowed) {
      fail(
          rc,
          new TraceSettingException(
              Reason.FORBIDDEN,
              "trace settings are read-only on this port: changing them is an admin action,"
                  + " served on the admin port"));
      return;
    }
    String model = rc.pathParam("model");
    Map<String, List<String>> values;
    try {
      values = values(rc.body().buffer());
    } catch (TraceSettingException e) {
      fail(rc, e);
      return;
    }
    // Listeners (the trace-file writer) may touch files on a change: keep it off the event loop.
    rc.vertx()
        .executeBlocking(
            () -> {
              settings.update(model, values);
              return settings.view(model);
            },
            false)
        .onComplete(
            done -> {
              if (done.succeeded()) {
                reply(rc, done.result());
              } else if (done.cause() instanceof TraceSettingException e) {
                fail(rc, e);
              } else {
                rc.fail(done.cause());
              }
            });
  }

  /** The body's settings, each as the protocol's list of strings; null becomes the empty list. */
  private static Map<String, List<String>> values(Buffer body) {
    JsonObject json;
    try {
      json = body == null || body.length() == 0 ? new JsonObject() : body.toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw TraceSettingException.invalid(
          "the body is not a JSON object of trace settings: " + e.getMessage());
    }
    Map<String, List<String>> values = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : json) {
      values.put(entry.getKey(), strings(entry.getKey(), entry.getValue()));
    }
    return values;
  }

  private static List<String> strings(String key, Object value) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof String s) {
      return key.equals("resource") ? splitResource(s) : List.of(s);
    }
    if (value instanceof JsonArray array) {
      List<String> list = new ArrayList<>();
      for (Object item : array) {
        if (!(item instanceof String s)) {
          throw TraceSettingException.invalid(
              key + ": expected an array of strings, got " + array.encode());
        }
        list.add(s);
      }
      return list;
    }
    throw TraceSettingException.invalid(
        key + ": trace setting values are strings (\"100\", not 100), got " + value);
  }

  /** A resource string is OTEL_RESOURCE_ATTRIBUTES' form: key=value pairs, comma-separated. */
  private static List<String> splitResource(String value) {
    return List.of(value.split(",")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static void reply(RoutingContext rc, Map<String, List<String>> view) {
    JsonObject body = new JsonObject();
    view.forEach(
        (key, values) ->
            body.put(
                key,
                TraceSettingView.isList(key)
                    ? new JsonArray(new ArrayList<Object>(values))
                    : String.join(",", values)));
    rc.response()
        .setStatusCode(200)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body.encode());
  }

  private static void fail(RoutingContext rc, TraceSettingException e) {
    int status =
        switch (e.reason()) {
          case INVALID, UNKNOWN_MODEL -> 400;
          case UNSUPPORTED -> 501;
          case FORBIDDEN -> 403;
        };
    rc.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("error", e.getMessage()).encode());
  }
}
