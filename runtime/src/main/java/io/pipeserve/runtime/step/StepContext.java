package io.pipeserve.runtime.step;

import java.nio.file.Path;

/**
 * What a step may need when it is created.
 *
 * @param baseDir directory of the pipeline spec file: relative paths in params resolve against it
 * @param where the spec location of the step, for error messages ("ops[2].postprocess[0]")
 */
public record StepContext(Path baseDir, String where) {}
