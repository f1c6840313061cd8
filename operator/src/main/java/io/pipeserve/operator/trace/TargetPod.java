package io.pipeserve.operator.trace;

/**
 * A running pod whose trace settings the operator keeps in step with the spec.
 *
 * @param name the pod's name
 * @param ip the pod's IP
 * @param adminPort the port serving the trace protocol's changes
 */
public record TargetPod(String name, String ip, int adminPort) {}
