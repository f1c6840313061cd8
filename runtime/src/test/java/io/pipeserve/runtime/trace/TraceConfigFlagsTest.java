package io.pipeserve.runtime.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pipeserve.api.TraceSpec;
import io.pipeserve.runtime.testing.Specs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Triton's --trace-config grammar, and the flags' precedence over the spec file. */
class TraceConfigFlagsTest {
  @Test
  void tritonsExampleFlags_giveTheirSettings() {
    TraceSpec t =
        TraceConfigFlags.parse(
            List.of(
                "triton,file=/tmp/trace.json",
                "triton,log-frequency=50",
                "rate=100",
                "level=TIMESTAMPS",
                "count=100"));

    assertThat(t.file()).isEqualTo("/tmp/trace.json");
    assertThat(t.logFrequency()).isEqualTo(50);
    assertThat(t.rate()).isEqualTo(100);
    assertThat(t.level()).containsExactly("TIMESTAMPS");
    assertThat(t.count()).isEqualTo(100);
    assertThat(t.mode()).isNull();
  }

  @Test
  void opentelemetryFlags_giveTheExportersSettings() {
    TraceSpec t =
        TraceConfigFlags.parse(
            List.of(
                "mode=opentelemetry",
                "OpenTelemetry,url=http://collector:4318/v1/traces",
                "opentelemetry,resource=service.name=ocr",
                "opentelemetry,resource=deployment.environment=prod",
                "opentelemetry,bsp_max_queue_size=4096",
                "opentelemetry,bsp_schedule_delay=100",
                "opentelemetry,bsp_max_export_batch_size=256"));

    assertThat(t.mode()).isEqualTo("opentelemetry");
    assertThat(t.opentelemetry())
        .isEqualTo(
            new TraceSpec.OpenTelemetrySpec(
                "http://collector:4318/v1/traces",
                List.of("service.name=ocr", "deployment.environment=prod"),
                4096,
                100,
                256));
  }

  @Test
  void levels_addUp_andOffAnywhereTurnsTracingOff() {
    assertThat(TraceConfigFlags.parse(List.of("level=TIMESTAMPS", "level=tensors")).level())
        .containsExactly("TIMESTAMPS", "TENSORS");
    assertThat(TraceConfigFlags.parse(List.of("level=TIMESTAMPS", "level=OFF")).level())
        .containsExactly("OFF");
    assertThat(TraceConfigFlags.parse(List.of("level=max")).level()).containsExactly("TIMESTAMPS");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "rate=fast | --trace-config rate=fast: Invalid option value",
        "rate=-1 | --trace-config rate=-1: must be >= 0",
        "count=-2 | --trace-config count=-2: must be >= -1",
        "level=VERBOSE | --trace-config level=VERBOSE: invalid value for trace level option",
        "mode=jaeger | --trace-config mode=jaeger: unknown trace mode 'jaeger'",
        "zipkin,url=http://x | --trace-config zipkin,url=http://x: unknown trace mode 'zipkin'",
        ",rate=1 | --trace-config ,rate=1: No trace mode specified",
        "rate | --trace-config rate: --trace-config option format is",
        "rate= | --trace-config rate=: --trace-config option format is",
        "file=/tmp/t.json | --trace-config file=/tmp/t.json: unknown setting 'file'",
        "triton,log-frequency=-3 | --trace-config triton,log-frequency=-3: must be >= 0",
        "opentelemetry,url=collector | --trace-config opentelemetry,url=collector: expecting",
        "opentelemetry,resource=novalue | --trace-config opentelemetry,resource=novalue: expect",
        "opentelemetry,bsp_max_queue_size=0 | --trace-config opentelemetry,bsp_max_queue_size=0"
      })
  void badFlag_isAnErrorNamingIt(String flag, String message) {
    assertThatThrownBy(() -> TraceConfigFlags.parse(List.of("rate=1", flag)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void flags_overrideTheSpecFile_fieldByField() {
    TraceSpec file =
        Specs.yaml(
                """
                trace:
                  level: [TENSORS]
                  rate: 10
                  count: 5
                  file: /var/trace.json
                  opentelemetry: {url: "http://a:4318/v1/traces", resource: [service.name=a, team=x]}
                """)
            .trace();
    TraceSpec flags =
        TraceConfigFlags.parse(
            List.of("rate=100", "level=TIMESTAMPS", "opentelemetry,resource=service.name=b"));

    TraceSpec merged = TraceConfigFlags.overlay(file, flags);

    assertThat(merged.rate()).isEqualTo(100);
    assertThat(merged.level()).containsExactly("TIMESTAMPS");
    assertThat(merged.count()).isEqualTo(5);
    assertThat(merged.file()).isEqualTo("/var/trace.json");
    assertThat(merged.opentelemetry().url()).isEqualTo("http://a:4318/v1/traces");
    assertThat(merged.opentelemetry().resource()).containsExactly("service.name=b", "team=x");
  }

  @Test
  void startUpSettings_layerDefaultsEnvironmentSpecAndFlags() {
    TraceSpec spec =
        TraceConfigFlags.overlay(
            Specs.yaml("trace: {mode: opentelemetry, opentelemetry: {bspScheduleDelay: 200}}")
                .trace(),
            TraceConfigFlags.parse(List.of("opentelemetry,bsp_schedule_delay=300")));
    Map<String, String> env =
        Map.of(
            "OTEL_RESOURCE_ATTRIBUTES", "team=ml,service.name=env",
            "OTEL_BSP_MAX_QUEUE_SIZE", "1000",
            "OTEL_BSP_SCHEDULE_DELAY", "999");

    TraceSetting s = StartupSettings.global(spec, env);

    assertThat(s.opentelemetry())
        .isEqualTo(
            new OpenTelemetrySettings(
                "http://localhost:4318/v1/traces",
                List.of("service.name=env", "team=ml"),
                1000,
                300,
                512));
  }

  @Test
  void badEnvironmentVariable_isAnErrorNamingIt() {
    assertThatThrownBy(
            () ->
                StartupSettings.global(
                    TraceSpec.EMPTY, Map.of("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "lots")))
        .hasMessageStartingWith("OTEL_BSP_MAX_EXPORT_BATCH_SIZE: ");
  }
}
