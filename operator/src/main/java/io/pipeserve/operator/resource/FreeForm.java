package io.pipeserve.operator.resource;

import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/**
 * The schema of free-form settings ({@code params} of ops and steps, {@code Map<String, Object>} in
 * the spec records): an object the API server keeps as written, whatever its values. The records'
 * generic type would otherwise make every value an object, refusing {@code input: image}.
 */
@PreserveUnknownFields
final class FreeForm {
  private FreeForm() {}
}
