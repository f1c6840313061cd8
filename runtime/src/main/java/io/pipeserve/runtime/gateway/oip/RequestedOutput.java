package io.pipeserve.runtime.gateway.oip;

/**
 * An output the client asked for by name.
 *
 * @param binary HTTP only: whether it goes out in the binary section (its {@code binary_data}
 *     parameter); null when it did not say
 */
public record RequestedOutput(String name, Boolean binary) {}
