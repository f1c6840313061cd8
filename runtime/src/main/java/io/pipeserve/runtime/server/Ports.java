package io.pipeserve.runtime.server;

/** The ports a server listens on; admin equals http when admin actions share the HTTP server. */
public record Ports(int http, int grpc, int admin) {}
