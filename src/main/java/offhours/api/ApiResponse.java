package offhours.api;

import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP answer: a status, headers and a JSON (or other text) body. */
public record ApiResponse(int status, Map<String, String> headers, String body) {

  public ApiResponse {
    headers = Map.copyOf(headers);
  }

  /** {@code value} as JSON ({@link JsonText}), never cached, never sniffed as anything else. */
  public static ApiResponse json(int status, Object value) {
    return json(status, value, Map.of());
  }

  public static ApiResponse json(int status, Object value, Map<String, String> extraHeaders) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", "application/json; charset=utf-8");
    headers.put("cache-control", "no-store");
    headers.put("x-content-type-options", "nosniff");
    headers.putAll(extraHeaders);
    return new ApiResponse(status, headers, JsonText.write(value));
  }

  /** {@code {"message": ...}}, the shape of API Gateway's own errors; {@code message} says what to do. */
  public static ApiResponse error(int status, String message) {
    return json(status, Map.of("message", message));
  }
}
