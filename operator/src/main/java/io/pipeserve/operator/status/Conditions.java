package io.pipeserve.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The conditions of a Pipeline. {@code Ready}, {@code Progressing}, {@code Degraded} and {@code
 * TraceSynced} say what users ask; {@code Reconciling} and {@code Stalled} are kstatus' standard
 * pair (what Flux and {@code kstatus}-based tools wait on), kept in step with them.
 */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";
  public static final String TRACE_SYNCED = "TraceSynced";
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";

  public static final String TRUE = "True";
  public static final String FALSE = "False";

  private final Clock clock;
  private final long generation;
  private final List<Condition> previous;
  private final List<Condition> conditions = new ArrayList<>();

  /**
   * @param previous the conditions the status holds now: a condition whose status stays keeps its
   *     lastTransitionTime
   */
  public Conditions(Clock clock, long generation, List<Condition> previous) {
    this.clock = clock;
    this.generation = generation;
    this.previous = previous == null ? List.of() : previous;
  }

  /** Sets condition {@code type}. */
  public Conditions set(String type, boolean status, String reason, String message) {
    String value = status ? TRUE : FALSE;
    String since =
        find(previous, type)
            .filter(c -> value.equals(c.getStatus()))
            .map(Condition::getLastTransitionTime)
            .orElseGet(() -> Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
    conditions.removeIf(c -> c.getType().equals(type));
    conditions.add(
        new ConditionBuilder()
            .withType(type)
            .withStatus(value)
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(generation)
            .withLastTransitionTime(since)
            .build());
    return this;
  }

  /** Keeps condition {@code type} as it was, when it was set. */
  public Conditions keep(String type) {
    find(previous, type)
        .ifPresent(
            c -> {
              conditions.removeIf(d -> d.getType().equals(type));
              conditions.add(c);
            });
    return this;
  }

  public List<Condition> list() {
    return List.copyOf(conditions);
  }

  /** Condition {@code type} of {@code conditions}. */
  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> Objects.equals(c.getType(), type)).findFirst();
  }

  /** Whether condition {@code type} of {@code conditions} is True. */
  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
  }
}
