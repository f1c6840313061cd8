package io.pipeserve.operator.model;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.util.Map;

/** GPU counts in resource requirements ({@code nvidia.com/gpu}, a whole number). */
public final class Gpus {
  public static final String RESOURCE = "nvidia.com/gpu";

  private Gpus() {}

  /**
   * The GPUs {@code resources} asks for: its limit, else its request (Kubernetes requires them
   * equal for extended resources); 0 when it names none.
   *
   * @throws IllegalArgumentException when the quantity is not a whole number
   */
  public static int of(ResourceRequirements resources) {
    if (resources == null) {
      return 0;
    }
    Quantity quantity = find(resources.getLimits());
    if (quantity == null) {
      quantity = find(resources.getRequests());
    }
    if (quantity == null) {
      return 0;
    }
    BigDecimal amount = Quantity.getAmountInBytes(quantity);
    if (amount.signum() < 0 || amount.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException(
          "nvidia.com/gpu must be a whole number of GPUs, got " + quantity);
    }
    return amount.intValueExact();
  }

  private static Quantity find(Map<String, Quantity> quantities) {
    return quantities == null ? null : quantities.get(RESOURCE);
  }
}
