package io.pipeserve.operator.resource;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;

/**
 * A model server run in an op's pods, next to the runtime: any server speaking the Open Inference
 * Protocol v2 over gRPC (Triton, KServe runtimes, another pipeserve). The op's {@code remote}
 * predictor reaches it on {@code localhost:grpcPort} when its spec names no endpoints.
 *
 * <p>It runs as a sidecar (an init container that keeps running, Kubernetes 1.29+): it is started
 * and ready before the runtime and stopped after it, so draining requests still reach it.
 *
 * @param image the model server's image
 * @param command the entrypoint; the image's when unset
 * @param args its arguments (for Triton: {@code tritonserver --model-repository=...
 *     --grpc-port=...})
 * @param env environment variables
 * @param grpcPort the port its OIP v2 gRPC service listens on; pods share one network namespace, so
 *     it must differ from the runtime's ports
 * @param httpPort its OIP v2 HTTP port; when set, {@code /v2/health/ready} there gates the start of
 *     the runtime
 * @param resources requests and limits ({@code nvidia.com/gpu} for a GPU model server)
 */
public record ModelServer(
    @Required String image,
    List<String> command,
    List<String> args,
    List<EnvVar> env,
    @Required @Min(1) @Max(65535) Integer grpcPort,
    @Min(1) @Max(65535) Integer httpPort,
    ResourceRequirements resources) {
  public ModelServer {
    command = command == null ? List.of() : List.copyOf(command);
    args = args == null ? List.of() : List.copyOf(args);
    env = env == null ? List.of() : List.copyOf(env);
  }
}
