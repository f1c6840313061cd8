package io.pipeserve.runtime.trace.otel;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** An OTLP/HTTP collector for tests: accepts POST /v1/traces (protobuf) and keeps the spans. */
final class OtlpReceiver implements AutoCloseable {
  /** A received span with the resource attributes it came with. */
  record Received(Span span, Map<String, String> resource) {
    String name() {
      return span.getName();
    }
  }

  private final HttpServer server;
  private final List<Received> spans = new CopyOnWriteArrayList<>();

  private OtlpReceiver(HttpServer server) {
    this.server = server;
  }

  static OtlpReceiver start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    OtlpReceiver receiver = new OtlpReceiver(server);
    server.createContext(
        "/v1/traces",
        exchange -> {
          try (InputStream body = exchange.getRequestBody()) {
            if (!"POST".equals(exchange.getRequestMethod())
                || !"application/x-protobuf"
                    .equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
              exchange.sendResponseHeaders(400, -1);
              return;
            }
            receiver.accept(ExportTraceServiceRequest.parseFrom(body));
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
          } finally {
            exchange.close();
          }
        });
    server.start();
    return receiver;
  }

  private void accept(ExportTraceServiceRequest request) {
    for (ResourceSpans rs : request.getResourceSpansList()) {
      Map<String, String> resource = new LinkedHashMap<>();
      for (KeyValue kv : rs.getResource().getAttributesList()) {
        resource.put(kv.getKey(), kv.getValue().getStringValue());
      }
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          spans.add(new Received(span, resource));
        }
      }
    }
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
  }

  List<Received> spans() {
    return new ArrayList<>(spans);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
