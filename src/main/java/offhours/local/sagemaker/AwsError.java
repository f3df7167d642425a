package offhours.local.sagemaker;

import java.util.Map;

/**
 * An error answered the way AWS answers it: an HTTP status, the error code the SDK maps to an
 * exception class ({@code x-amzn-ErrorType} header and {@code __type} field), a message, and any
 * extra members of the error shape (ModelError's OriginalStatusCode, ...).
 */
final class AwsError extends RuntimeException {
  final int status;
  final String type;
  final Map<String, Object> fields;

  AwsError(int status, String type, String message) {
    this(status, type, message, Map.of());
  }

  AwsError(int status, String type, String message, Map<String, Object> fields) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.fields = fields;
  }

  /** The control plane's generic client error (SageMaker's model declares no class for it). */
  static AwsError validation(String message) {
    return new AwsError(400, "ValidationException", message);
  }

  /** A member of the wrong JSON type, which AWS's JSON 1.1 deserializer refuses before the operation runs. */
  static AwsError serialization(String message) {
    return new AwsError(400, "SerializationException", message);
  }
}
