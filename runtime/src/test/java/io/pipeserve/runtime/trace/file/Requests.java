package io.pipeserve.runtime.trace.file;

import static io.pipeserve.runtime.trace.file.TimestampNames.*;

/**
 * Hand-built request traces with known timestamps: a pipeline "ocr" with ops "det" then "rec".
 * Every offset is multiplied by {@code scale}, so the averages of requests at scales 1 and 2 are
 * 1.5 times the scale-1 durations.
 *
 * <pre>
 * pipeline (scale 1, ns from t0): recv 0..20_555, request 30_000..910_000, send 920_000..930_000
 * det:  request 40_000..425_000, queue 45_000..60_000, input ..100_000, infer ..400_000, output ..420_000
 * rec:  request 430_000..890_000, queue 431_000..440_000, input ..450_000, infer ..850_000, output ..880_000
 * </pre>
 */
final class Requests {
  private Requests() {}

  static RequestTrace http(long firstId, long t0, long scale) {
    return request(firstId, t0, scale, Frontend.HTTP);
  }

  static RequestTrace grpc(long firstId, long t0, long scale) {
    return request(firstId, t0, scale, Frontend.GRPC);
  }

  static RequestTrace request(long firstId, long t0, long scale, Frontend frontend) {
    TraceRecord pipeline =
        TraceRecord.builder(firstId, "ocr", 1)
            .requestId("log-" + firstId)
            .timestamp(frontend.readStart, t0)
            .timestamp(frontend.readEnd, t0 + 20_555 * scale)
            .timestamp(REQUEST_START, t0 + 30_000 * scale)
            .timestamp(INFER_RESPONSE_COMPLETE, t0 + 900_000 * scale)
            .timestamp(REQUEST_END, t0 + 910_000 * scale)
            .timestamp(frontend.sendStart, t0 + 920_000 * scale)
            .timestamp(frontend.sendEnd, t0 + 930_000 * scale)
            .build();
    TraceRecord det =
        op(
            firstId + 1,
            firstId,
            "det",
            t0,
            scale,
            40_000,
            45_000,
            60_000,
            100_000,
            400_000,
            420_000,
            425_000);
    TraceRecord rec =
        op(
            firstId + 2,
            firstId,
            "rec",
            t0,
            scale,
            430_000,
            431_000,
            440_000,
            450_000,
            850_000,
            880_000,
            890_000);
    return RequestTrace.of(pipeline, det, rec);
  }

  static TraceRecord op(long id, long parent, String name, long t0, long scale, long... offsets) {
    String[] names = {
      REQUEST_START,
      QUEUE_START,
      COMPUTE_START,
      COMPUTE_INPUT_END,
      COMPUTE_OUTPUT_START,
      COMPUTE_END,
      REQUEST_END
    };
    TraceRecord.Builder op = TraceRecord.builder(id, name, 1).parentId(parent);
    for (int i = 0; i < names.length; i++) {
      op.timestamp(names[i], t0 + offsets[i] * scale);
    }
    return op.build();
  }
}
