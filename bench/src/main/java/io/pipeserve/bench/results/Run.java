package io.pipeserve.bench.results;

import io.pipeserve.bench.load.Result;

/** A result under the name it has in a comparison: {@code baseline}, {@code pipeline http}… */
public record Run(String name, Result result) {}
