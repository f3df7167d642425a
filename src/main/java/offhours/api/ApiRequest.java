package offhours.api;

import java.util.Map;

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

  public String header(String name) {
    return headers.get(name.toLowerCase(java.util.Locale.ROOT));
  }
}
