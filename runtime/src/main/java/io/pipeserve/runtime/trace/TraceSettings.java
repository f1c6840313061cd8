package io.pipeserve.runtime.trace;

import io.pipeserve.api.OpSpec;
import io.pipeserve.api.PipelineSpec;
import io.pipeserve.runtime.trace.TraceSettingException.Reason;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's trace settings, global and per model, changed at run time through the trace
 * protocol. Fallback as in Triton: a model's unset field follows the global setting, a global unset
 * (cleared) field follows its start-up value, and a model with nothing left set follows the global
 * setting again.
 *
 * <p>Requests read {@link #snapshot()}, a volatile read of an immutable snapshot; changes are
 * serialized, build a new snapshot and swap it in, so a request never sees half a change.
 */
public final class TraceSettings {
  private static final Logger LOG = LoggerFactory.getLogger(TraceSettings.class);

  private volatile TraceSnapshot current;
  private final List<TraceSettingsListener> listeners = new CopyOnWriteArrayList<>();

  private TraceSettings(TraceSnapshot initial) {
    this.current = initial;
  }

  /**
   * The settings of {@code spec} (its {@code trace}, flags included, and each op's), with the
   * OpenTelemetry defaults of {@code env}.
   *
   * @throws IllegalArgumentException naming the field or variable at fault
   */
  public static TraceSettings create(PipelineSpec spec, Map<String, String> env) {
    return new TraceSettings(
        TraceSnapshot.initial(
            spec.server().name(),
            spec.ops().stream().map(OpSpec::name).toList(),
            StartupSettings.global(spec.trace(), env),
            StartupSettings.ops(spec)));
  }

  /** The settings now; a request reads this once, when it starts. */
  public TraceSnapshot snapshot() {
    return current;
  }

  /**
   * Applies a trace-protocol change: {@code values} holds the settings to change, an empty list
   * clearing one. All or nothing: on error nothing changes.
   *
   * @param model the pipeline or an op; null or empty for the global settings
   * @return the snapshot with the change (the same one when {@code values} is empty)
   * @throws TraceSettingException naming the setting or model at fault
   */
  public synchronized TraceSnapshot update(String model, Map<String, List<String>> values) {
    TraceSnapshot before = current;
    String scope = scope(before, model);
    TraceUpdate update = TraceUpdate.parse(values, scope == null, before.global());
    if (update.isEmpty()) {
      return before;
    }
    TraceSnapshot after =
        before.with(scope, update.applyTo(before.overrides(scope)), update.setsCount());
    TraceSetting result = after.setting(scope);
    if (!result.isOff() && !result.hasDestination()) {
      // Triton refuses a setting that would trace into nowhere.
      throw TraceSettingException.invalid(
          "Attempting to set invalid trace setting: trace file name is not given; trace_level "
              + TraceLevel.names(result.levels())
              + " needs a trace file in triton mode (trace.file in the spec or --trace-config"
              + " triton,file=PATH at start-up)");
    }
    current = after;
    LOG.info(
        "trace settings of {} changed: {}",
        scope == null ? "the server" : "'" + scope + "'",
        TraceSettingView.of(after, scope));
    for (TraceSettingsListener listener : listeners) {
      try {
        listener.onChange(before, after);
      } catch (RuntimeException e) {
        LOG.warn("a trace settings listener failed", e);
      }
    }
    return after;
  }

  /** Tells {@code listener} of every later change, until the subscription is closed. */
  public TraceSettingsListener.Subscription subscribe(TraceSettingsListener listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  private static String scope(TraceSnapshot snapshot, String model) {
    if (model == null || model.isEmpty()) {
      return null;
    }
    if (!snapshot.models().contains(model)) {
      // Triton's own words.
      throw new TraceSettingException(Reason.UNKNOWN_MODEL, "Request for unknown model : " + model);
    }
    return model;
  }

  /**
   * The settings of {@code model} as the trace protocol shows them.
   *
   * @param model the pipeline or an op; null or empty for the global settings
   * @throws TraceSettingException for a model that is neither the pipeline nor an op
   */
  public Map<String, List<String>> view(String model) {
    TraceSnapshot snapshot = current;
    return TraceSettingView.of(snapshot, scope(snapshot, model));
  }
}
