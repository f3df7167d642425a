package offhours.local.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.Map;
import offhours.local.auth.RequestGuard;
import offhours.units.Shown;

/**
 * An error the Lambda API answers with: the HTTP status, the error code the SDK maps to an exception
 * class ({@code x-amzn-ErrorType}), and the message. Shapes from the Lambda API reference, e.g.
 * https://docs.aws.amazon.com/lambda/latest/api/API_UpdateEventSourceMapping.html#API_UpdateEventSourceMapping_Errors
 */
final class LambdaError extends RuntimeException {
  private static final ObjectMapper JSON = new ObjectMapper();

  final int status;
  final String type;

  private LambdaError(int status, String type, String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
  }

  /** Lambda's error shape: the code in {@code x-amzn-ErrorType}, the message in the body. */
  static void write(HttpExchange exchange, int status, String type, String message)
      throws IOException {
    byte[] body = JSON.writeValueAsBytes(Map.of("Type", "User", "Message", message));
    exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  static void write(HttpExchange exchange, RequestGuard.Refusal refusal) throws IOException {
    write(exchange, refusal.status(), refusal.type(), refusal.message());
  }

  static LambdaError notFound(String message) {
    return new LambdaError(404, "ResourceNotFoundException", message);
  }

  static LambdaError mappingNotFound() {
    return notFound("The resource you requested does not exist.");
  }

  static LambdaError invalidParameter(String message) {
    return new LambdaError(400, "InvalidParameterValueException", message);
  }

  static LambdaError conflict(String message) {
    return new LambdaError(409, "ResourceConflictException", message);
  }

  static LambdaError inUse(String message) {
    return new LambdaError(400, "ResourceInUseException", message);
  }

  /** A body that is not the JSON the operation takes, in the error Lambda's Invoke documents for it. */
  static LambdaError invalidContent(String message) {
    return new LambdaError(400, "InvalidRequestContentException", message);
  }

  static LambdaError unknownOperation(String request) {
    return new LambdaError(
        404,
        "UnknownOperationException",
        "offhours' local Lambda serves only the event source mapping API; it does not implement "
            + request);
  }

  /** Lambda's model constraints (min/max/enum) are checked before the operation and answer this shape. */
  static LambdaError validation(String member, Object value, String constraint) {
    String shown = value == null ? "null" : "'" + Shown.value(value.toString()) + "'";
    return new LambdaError(
        400,
        "ValidationException",
        "1 validation error detected: Value " + shown + " at '" + member
            + "' failed to satisfy constraint: " + constraint);
  }
}
