package io.pipeserve.runtime.trace.otel;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.pipeserve.runtime.trace.OpenTelemetrySettings;
import io.pipeserve.runtime.trace.TraceSettings;
import io.pipeserve.runtime.trace.TraceSettingsListener;
import io.pipeserve.runtime.trace.TraceSnapshot;
import io.pipeserve.runtime.trace.file.RequestTrace;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the traces of sampled requests as OpenTelemetry spans over OTLP/HTTP, through a batch span
 * processor with the settings' {@code bsp_*}. One exporter per process, following the global
 * settings: a change of {@code url} or {@code resource} over the trace protocol builds a new
 * provider and retires the old one (flushed, then shut down) on a thread of its own, so the change
 * is not held up by a slow collector.
 */
public final class OtelExporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OtelExporter.class);
  private static final String INSTRUMENTATION = "io.pipeserve.runtime";
  private static final long SHUTDOWN_SECONDS = 10;

  /** The provider of one url and resource. */
  private record Export(
      OpenTelemetrySettings settings, SdkTracerProvider provider, SpanConverter converter) {}

  // Steady-clock timestamps become epoch time with one offset taken here: spans keep the exact
  // intervals the request measured, whatever the wall clock does meanwhile.
  private final long epochOffsetNs;
  private final ExecutorService retirer =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "otel-exporter-retire");
            t.setDaemon(true);
            return t;
          });
  private final TraceSettingsListener.Subscription subscription;
  private volatile Export current;

  private OtelExporter(TraceSettings settings) {
    Instant now = Instant.now();
    this.epochOffsetNs =
        TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano() - System.nanoTime();
    this.current = create(settings.snapshot().global().opentelemetry());
    this.subscription = settings.subscribe(this::onChange);
  }

  /** An exporter for the global OpenTelemetry settings, following their changes. */
  public static OtelExporter start(TraceSettings settings) {
    return new OtelExporter(settings);
  }

  /** Emits the spans of a finished request; {@code caller}: the W3C context it brought. */
  public void export(RequestTrace trace, SpanContext caller) {
    current.converter().emit(trace, caller);
  }

  /** Where spans go now. */
  public String url() {
    return current.settings().url();
  }

  private Export create(OpenTelemetrySettings settings) {
    OtlpHttpSpanExporter exporter =
        OtlpHttpSpanExporter.builder().setEndpoint(settings.url()).build();
    BatchSpanProcessor processor =
        BatchSpanProcessor.builder(exporter)
            .setMaxQueueSize(settings.bspMaxQueueSize())
            .setScheduleDelay(settings.bspScheduleDelay(), TimeUnit.MILLISECONDS)
            .setMaxExportBatchSize(settings.bspMaxExportBatchSize())
            .build();
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(Resource.getDefault().merge(resource(settings.resource())))
            // Tracer already decided (rate, count, the caller's context); a caller's unsampled
            // flag must not drop the spans of a request we chose to trace.
            .setSampler(Sampler.alwaysOn())
            .addSpanProcessor(processor)
            .build();
    return new Export(
        settings, provider, new SpanConverter(provider.get(INSTRUMENTATION), epochOffsetNs));
  }

  private static Resource resource(List<String> attributes) {
    AttributesBuilder builder = Attributes.builder();
    for (String attribute : attributes) {
      int eq = attribute.indexOf('=');
      builder.put(attribute.substring(0, eq), attribute.substring(eq + 1));
    }
    return Resource.create(builder.build());
  }

  private void onChange(TraceSnapshot previous, TraceSnapshot next) {
    OpenTelemetrySettings before = current.settings();
    OpenTelemetrySettings after = next.global().opentelemetry();
    if (before.url().equals(after.url()) && before.resource().equals(after.resource())) {
      return;
    }
    Export replacement;
    try {
      replacement = create(after);
    } catch (RuntimeException e) {
      LOG.warn(
          "OpenTelemetry url {}: cannot export there ({}); spans still go to {}",
          after.url(),
          e.getMessage(),
          before.url(),
          e);
      return;
    }
    Export retired = current;
    current = replacement;
    LOG.info("OpenTelemetry spans now go to {} (resource {})", after.url(), after.resource());
    retirer.execute(() -> shutDown(retired));
  }

  private static void shutDown(Export export) {
    // shutdown() exports what the batch processor still holds before it stops.
    if (!export.provider().shutdown().join(SHUTDOWN_SECONDS, TimeUnit.SECONDS).isSuccess()) {
      LOG.warn(
          "OpenTelemetry: the last spans for {} may be lost (export failed or timed out)",
          export.settings().url());
    }
  }

  /** Exports what is queued and stops. */
  @Override
  public void close() {
    subscription.close();
    retirer.shutdown();
    try {
      retirer.awaitTermination(SHUTDOWN_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    shutDown(current);
  }
}
