package io.pipeserve.runtime.gateway.oip.grpc;

import io.pipeserve.proto.inference.InferParameter;
import io.pipeserve.proto.inference.ModelInferRequest;
import io.pipeserve.proto.inference.ModelInferResponse;
import io.pipeserve.runtime.gateway.oip.Datatype;
import io.pipeserve.runtime.gateway.oip.InferRequest;
import io.pipeserve.runtime.gateway.oip.InferResponse;
import io.pipeserve.runtime.gateway.oip.OipError;
import io.pipeserve.runtime.gateway.oip.RawTensors;
import io.pipeserve.runtime.gateway.oip.RequestedOutput;
import io.pipeserve.runtime.gateway.oip.Shapes;
import io.pipeserve.runtime.tensor.Tensor;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link ModelInferRequest} to {@link InferRequest} and {@link InferResponse} to {@link
 * ModelInferResponse}. A request brings its tensors either all in {@code raw_input_contents} (what
 * Triton's clients send) or all in typed {@code contents}; the response answers in the same form,
 * as Triton does, except that a typed request gets raw outputs when one of them is FP16 or BF16,
 * which have no typed field.
 */
final class InferMessages {
  private InferMessages() {}

  /**
   * @throws OipError INVALID naming what is malformed
   */
  static InferRequest request(ModelInferRequest m) {
    boolean raw = m.getRawInputContentsCount() > 0;
    if (raw && m.getRawInputContentsCount() != m.getInputsCount()) {
      throw OipError.invalid(
          "raw_input_contents has "
              + m.getRawInputContentsCount()
              + " entries for "
              + m.getInputsCount()
              + " inputs; send one per input, in input order");
    }
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    for (int i = 0; i < m.getInputsCount(); i++) {
      ModelInferRequest.InferInputTensor in = m.getInputs(i);
      if (in.getName().isEmpty()) {
        throw OipError.invalid("inputs[" + i + "] has no name");
      }
      String where = "input '" + in.getName() + "'";
      Datatype type = Datatype.parse(in.getDatatype(), where);
      long[] shape = Shapes.of(in.getShapeList(), where);
      Tensor tensor;
      if (raw) {
        if (in.hasContents()) {
          throw OipError.invalid(
              where
                  + " has typed contents while the request uses raw_input_contents; send all"
                  + " inputs in one form");
        }
        tensor =
            RawTensors.decode(
                type,
                shape,
                WireBytes.view(m.getRawInputContents(i)),
                where + " (raw_input_contents[" + i + "])");
      } else {
        tensor = TypedContents.decode(type, shape, in.getContents(), where);
      }
      if (inputs.putIfAbsent(in.getName(), tensor) != null) {
        throw OipError.invalid(where + " is given more than once; input names must be unique");
      }
    }
    List<RequestedOutput> outputs = new ArrayList<>();
    for (ModelInferRequest.InferRequestedOutputTensor out : m.getOutputsList()) {
      if (out.getParametersMap().containsKey("classification")) {
        throw new OipError(
            OipError.Status.UNSUPPORTED,
            "output '"
                + out.getName()
                + "': the classification extension is not supported by this server");
      }
      outputs.add(new RequestedOutput(out.getName(), null));
    }
    return new InferRequest(
        m.getModelName(),
        m.getModelVersion(),
        m.getId(),
        parameters(m.getParametersMap()),
        inputs,
        outputs);
  }

  /**
   * An answer: the message without its raw contents, and the raw contents, to be appended on the
   * wire ({@link WireBytes}) rather than copied into the message.
   */
  record Answer(ModelInferResponse header, List<ByteBuffer> raw) {}

  /**
   * @param raw whether the request came with raw contents
   */
  static Answer response(InferResponse r, boolean raw) {
    boolean answerRaw =
        raw || r.outputs().stream().anyMatch(o -> !TypedContents.hasField(o.datatype()));
    ModelInferResponse.Builder m =
        ModelInferResponse.newBuilder()
            .setModelName(r.model())
            .setModelVersion(r.version())
            .setId(r.id());
    r.parameters()
        .forEach(
            (name, value) ->
                m.putParameters(name, InferParameter.newBuilder().setStringParam(value).build()));
    List<ByteBuffer> rawContents = new ArrayList<>();
    for (InferResponse.Output out : r.outputs()) {
      ModelInferResponse.InferOutputTensor.Builder tensor =
          ModelInferResponse.InferOutputTensor.newBuilder()
              .setName(out.name())
              .setDatatype(out.datatype().name());
      for (long d : out.tensor().shape()) {
        tensor.addShape(d);
      }
      if (answerRaw) {
        rawContents.add(RawTensors.encode(out.tensor()));
      } else {
        tensor.setContents(TypedContents.encode(out.tensor()));
      }
      m.addOutputs(tensor);
    }
    return new Answer(m.build(), rawContents);
  }

  private static Map<String, Object> parameters(Map<String, InferParameter> wire) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    wire.forEach(
        (name, p) ->
            parameters.put(
                name,
                switch (p.getParameterChoiceCase()) {
                  case BOOL_PARAM -> p.getBoolParam();
                  case INT64_PARAM -> p.getInt64Param();
                  case STRING_PARAM -> p.getStringParam();
                  case DOUBLE_PARAM -> p.getDoubleParam();
                  case UINT64_PARAM ->
                      p.getUint64Param() >= 0
                          ? (Object) p.getUint64Param()
                          : new BigInteger(Long.toUnsignedString(p.getUint64Param()));
                  case PARAMETERCHOICE_NOT_SET ->
                      throw OipError.invalid("request parameter '" + name + "' has no value");
                }));
    return parameters;
  }
}
