package io.pipeserve.bench.results;

/**
 * One figure of a scenario, with its goal when it has one.
 *
 * @param goal the goal as written in issue 3 ({@code ≥ 0.6}); empty when the figure has none
 * @param met whether the measured value meets the goal; null when there is no goal
 */
public record Figure(String name, String value, String goal, Boolean met) {
  public static Figure of(String name, String value) {
    return new Figure(name, value, "", null);
  }

  public static Figure goal(String name, String value, String goal, boolean met) {
    return new Figure(name, value, goal, met);
  }

  public boolean hasGoal() {
    return met != null;
  }
}
