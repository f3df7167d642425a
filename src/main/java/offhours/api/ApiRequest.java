package offhours.api;

import java.util.Map;
import offhours.units.Shown;

/**
 * One HTTP request as API Gateway's payload format 2.0 describes it
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html).
 *
 * @param routeKey the matched route, e.g. {@code "GET /results/{key+}"}
 * @param path the event's {@code rawPath}: an HTTP API has decoded it already, despite the name
 * @param pathParameters path parameters of the route as API Gateway decoded them, e.g. {@code key}
 * @param query query parameters decoded once from {@code rawQueryString}, each name once (see
 *     {@code HttpEvents.parameters})
 * @param headers header names in lower case; repeated ones joined with commas
 * @param body the body's bytes (base64-decoded when API Gateway encoded it)
 * @param requestId the event's {@code requestContext.requestId}: API Gateway's id, or in local mode a UUID the local
 *     gateway draws; whoever invokes the function directly writes it, so log lines and messages show it through
 *     {@link #shownRequestId}
 */
public record ApiRequest(
    String method,
    String path,
    String routeKey,
    Map<String, String> pathParameters,
    Map<String, String> query,
    Map<String, String> headers,
    byte[] body,
    String requestId) {

  public ApiRequest {
    pathParameters = Map.copyOf(pathParameters);
    query = Map.copyOf(query);
    headers = Map.copyOf(headers);
    body = body == null ? new byte[0] : body;
  }

  /** The request ID as a log line or a message quotes it ({@link Shown#value}): escaped, a long one cut. */
  public String shownRequestId() {
    return Shown.value(requestId);
  }

  public String header(String name) {
    return headers.get(name.toLowerCase(java.util.Locale.ROOT));
  }
}
