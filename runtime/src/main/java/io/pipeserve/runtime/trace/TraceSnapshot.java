package io.pipeserve.runtime.trace;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The trace settings at one moment: the global setting and that of every model (the pipeline, named
 * after the service, and each op). A request reads one snapshot when it starts and keeps it, so a
 * change applies from the next request and never midway through one.
 *
 * <p>How a pipeline request is traced: the pipeline's setting decides whether it is traced ({@link
 * #sample}) and what its own trace records. Each op execution of a traced request gets a child
 * trace unless that op's level is OFF, recording what the op's level says ({@link #childSetting}).
 * An op's rate and count apply to requests addressed to that op itself, as a Triton model's do;
 * within a pipeline request the pipeline has already decided. A model without settings of its own
 * follows the global setting, sampler included, as in Triton.
 */
public final class TraceSnapshot {
  private final long version;
  private final String pipeline;
  private final Set<String> models;
  private final TraceSetting startup;
  private final TraceOverrides globalOverrides;
  private final Map<String, TraceOverrides> modelOverrides;
  private final Sampler global;
  private final Map<String, Sampler> own;

  private TraceSnapshot(
      long version,
      String pipeline,
      Set<String> models,
      TraceSetting startup,
      TraceOverrides globalOverrides,
      Map<String, TraceOverrides> modelOverrides,
      Sampler global,
      Map<String, Sampler> own) {
    this.version = version;
    this.pipeline = pipeline;
    this.models = models;
    this.startup = startup;
    this.globalOverrides = globalOverrides;
    this.modelOverrides = modelOverrides;
    this.global = global;
    this.own = own;
  }

  /**
   * The snapshot at start-up.
   *
   * @param ops the op names, in spec order
   * @param opOverrides what each op's spec sets itself
   */
  static TraceSnapshot initial(
      String pipeline,
      List<String> ops,
      TraceSetting startup,
      Map<String, TraceOverrides> opOverrides) {
    Set<String> models = new LinkedHashSet<>();
    models.add(pipeline);
    models.addAll(ops);
    Sampler global = new Sampler(startup);
    Map<String, TraceOverrides> overrides = new LinkedHashMap<>();
    Map<String, Sampler> own = new LinkedHashMap<>();
    opOverrides.forEach(
        (op, o) -> {
          if (!o.isEmpty()) {
            overrides.put(op, o);
            own.put(op, new Sampler(o.applyTo(startup)));
          }
        });
    return new TraceSnapshot(
        0, pipeline, Set.copyOf(models), startup, TraceOverrides.NONE, overrides, global, own);
  }

  /**
   * The next snapshot: {@code scope} (null = global) now specifies {@code overrides}; every model
   * recomputes the fields it does not specify from the new global setting.
   *
   * @param countSet whether the change set or cleared trace_count, which starts the count over in
   *     the scope and in the models that follow its count
   */
  TraceSnapshot with(String scope, TraceOverrides overrides, boolean countSet) {
    TraceOverrides newGlobal = scope == null ? overrides : globalOverrides;
    Map<String, TraceOverrides> newModels = new LinkedHashMap<>(modelOverrides);
    if (scope != null) {
      if (overrides.isEmpty()) {
        // Nothing left of its own: the model follows the global setting again.
        newModels.remove(scope);
      } else {
        newModels.put(scope, overrides);
      }
    }
    TraceSetting globalSetting = newGlobal.applyTo(startup);
    Sampler nextGlobal = global.next(globalSetting, scope == null && countSet);
    Map<String, Sampler> nextOwn = new LinkedHashMap<>();
    newModels.forEach(
        (model, o) -> {
          TraceSetting setting = o.applyTo(globalSetting);
          Sampler before = own.get(model);
          boolean rearm = countSet && (model.equals(scope) || (scope == null && o.count() == null));
          nextOwn.put(model, before == null ? new Sampler(setting) : before.next(setting, rearm));
        });
    return new TraceSnapshot(
        version + 1, pipeline, models, startup, newGlobal, newModels, nextGlobal, nextOwn);
  }

  /** Increases by one with every change. */
  public long version() {
    return version;
  }

  /** The pipeline's model name (its service name). */
  public String pipeline() {
    return pipeline;
  }

  /** The pipeline and every op: the models the trace protocol knows. */
  public Set<String> models() {
    return models;
  }

  /** The global setting. */
  public TraceSetting global() {
    return global.setting();
  }

  /** The effective setting of {@code model} (the pipeline or an op); null or empty: global. */
  public TraceSetting setting(String model) {
    return sampler(model).setting();
  }

  /** Whether {@code model} specifies something itself rather than following the global setting. */
  public boolean hasOwnSetting(String model) {
    return own.containsKey(model);
  }

  /** Traces {@code model}'s setting still allows (what the protocol shows as trace_count). */
  public int remainingCount(String model) {
    return sampler(model).remaining();
  }

  /**
   * Decides whether a request to {@code model} is traced, advancing its sampler; empty when it is
   * not. Call once per request.
   *
   * @param hasContext whether the request brought a W3C trace context
   */
  public Optional<TraceSetting> sample(String model, boolean hasContext) {
    Sampler sampler = sampler(model);
    return sampler.sample(hasContext) ? Optional.of(sampler.setting()) : Optional.empty();
  }

  /**
   * The setting of op {@code op}'s child trace within a traced pipeline request; empty when the
   * op's level is OFF (no child trace).
   */
  public Optional<TraceSetting> childSetting(String op) {
    TraceSetting setting = setting(op);
    return setting.isOff() ? Optional.empty() : Optional.of(setting);
  }

  TraceOverrides overrides(String scope) {
    return scope == null
        ? globalOverrides
        : modelOverrides.getOrDefault(scope, TraceOverrides.NONE);
  }

  private Sampler sampler(String model) {
    if (model == null || model.isEmpty()) {
      return global;
    }
    Sampler sampler = own.get(model);
    if (sampler != null) {
      return sampler;
    }
    if (!models.contains(model)) {
      throw new IllegalArgumentException("no model '" + model + "' here; the models are " + models);
    }
    return global;
  }
}
