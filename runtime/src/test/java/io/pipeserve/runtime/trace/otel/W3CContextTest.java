package io.pipeserve.runtime.trace.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanContext;
import org.junit.jupiter.api.Test;

class W3CContextTest {
  private static final String TRACEPARENT =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void aValidTraceparent_givesTheCallersTraceAndSpan() {
    SpanContext context = W3CContext.extract(TRACEPARENT, "vendor=1");

    assertThat(context.isValid()).isTrue();
    assertThat(context.isRemote()).isTrue();
    assertThat(context.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(context.getSpanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(context.getTraceState().get("vendor")).isEqualTo("1");
  }

  @Test
  void aMalformedTraceparent_countsAsNoContext() {
    assertThat(W3CContext.extract("00-not-a-context-01", null).isValid()).isFalse();
    assertThat(W3CContext.extract("00-00000000000000000000000000000000-00f067aa0ba902b7-01", null))
        .matches(c -> !c.isValid());
  }

  @Test
  void noTraceparent_isNoContext() {
    assertThat(W3CContext.extract(null, "vendor=1").isValid()).isFalse();
    assertThat(W3CContext.extract("", null).isValid()).isFalse();
  }
}
