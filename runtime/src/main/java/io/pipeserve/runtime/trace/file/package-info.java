/**
 * Trace files in Triton's layout: the records of one sampled request ({@link RequestTrace}), the
 * background {@link TraceFileWriter} that writes them with Triton's {@code log_frequency} rotation,
 * and the readers behind {@code pipeserve trace summary} and {@code pipeserve trace timeline}.
 *
 * <p>The layout is Triton's, byte for byte where it matters, so that Triton's own {@code
 * qa/common/trace_summary.py} reads our files: see {@link TraceJson}.
 */
package io.pipeserve.runtime.trace.file;
