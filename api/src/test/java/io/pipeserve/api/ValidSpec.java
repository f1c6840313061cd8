package io.pipeserve.api;

/** A spec that sets every field, valid when its two model files and its CA file exist. */
final class ValidSpec {
  static final String YAML =
      """
      server:
        name: ocr
        httpPort: 9000
        grpcPort: 9001
        adminPort: 9002
        workers: 2
        maxBodyBytes: 8388608
        pluginDir: plugins
      dag:
        channelSize: 32
        requestTimeoutMs: 10000
        retry: 1
        tracerIntervalSeconds: 30
        profile: true
      trace:
        level: [TIMESTAMPS]
        rate: 100
        count: -1
        mode: opentelemetry
        file: trace.json
        logFrequency: 1000
        opentelemetry:
          url: http://localhost:4318/v1/traces
          resource: [service.name=ocr, deployment.environment=test]
          bspMaxQueueSize: 2048
          bspScheduleDelay: 5000
          bspMaxExportBatchSize: 512
      ops:
        - name: det
          kind: onnx
          model: models/det.onnx
          preprocess:
            - step: image-decode
            - step: det-resize
              params: {limitSideLen: 960}
          postprocess:
            - step: db-postprocess
              params: {boxThresh: 0.6}
            - step: crop-boxes
          feed: [x]
          fetch: [maps]
          outputs: [crops]
          concurrency: 2
          timeoutMs: 2000
          device: {type: cpu, precision: fp32, threads: 4}
        - name: rec
          inputs: [det]
          model: models/rec.onnx
          preprocess: [{step: rec-resize}]
          postprocess: [{step: ctc-decode}, {step: ocr-result}]
          batch: {size: 8, timeoutMs: 5}
          retry: 2
          device: {type: cuda, ids: "0,1", precision: fp16}
          trace: {level: [TIMESTAMPS, TENSORS], rate: 10, count: 100, logFrequency: 10}
          endpoints: {dns: "rec.ocr.svc:9100", refreshMs: 2000}
        - name: cls
          inputs: [det]
          kind: remote
          remote:
            endpoints: [triton:8001, "10.0.0.7:8001", "[fd00::7]:8001"]
            model: text-cls
            version: "2"
            tls: {enabled: true, caFile: certs/ca.pem}
            connections: 2
          feed: [crops]
          fetch: [angle]
          timeoutMs: 500
        - name: tag
          inputs: [det, rec, cls]
          kind: java
          className: com.example.ocr.Tagger
          params: {language: en, minScore: 0.5}
      """;

  private ValidSpec() {}
}
