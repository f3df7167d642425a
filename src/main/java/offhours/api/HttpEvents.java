package offhours.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import offhours.units.Shown;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * API Gateway's Lambda payload format 2.0 for HTTP APIs, both ways: the handler reads request events and writes
 * responses; the local front writes request events and reads responses, so local mode crosses the same JSON boundary
 * as AWS (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html).
 */
public final class HttpEvents {

  /** API Gateway's requestContext.time format, e.g. "12/Mar/2020:19:03:58 +0000". */
  private static final DateTimeFormatter REQUEST_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** The types besides text/* whose bodies an HTTP API hands over as text ({@link #isText}). */
  private static final List<String> TEXT_TYPES =
      List.of("application/json", "application/xml", "application/javascript");

  private HttpEvents() {}

  /** An HTTP answer read back from a handler's response event. */
  public record Reply(int status, Map<String, String> headers, byte[] body) {}

  /** Reads a request event; an event that is not format 2.0 throws {@link IllegalArgumentException}. */
  public static ApiRequest read(byte[] event) {
    JsonNode root = JsonText.parse(event);
    if (root == null || !root.isObject() || !"2.0".equals(JsonText.string(root, "version"))) {
      throw new IllegalArgumentException(
          "not an API Gateway payload format 2.0 event (\"version\": \"2.0\")");
    }
    JsonNode context = root.asObject().get("requestContext");
    JsonNode http =
        context == null || !context.isObject() ? null : context.asObject().get("http");
    String method = JsonText.string(http, "method");
    String rawPath = JsonText.string(root, "rawPath");
    if (method == null || rawPath == null) {
      throw new IllegalArgumentException("the event has no requestContext.http.method or rawPath");
    }
    String routeKey = JsonText.string(root, "routeKey");
    Map<String, String> pathParameters = strings(root, "pathParameters");
    if (routeKey == null || !ApiRoutes.all().contains(routeKey)) {
      // "$default" or a proxy route: match the path here, as API Gateway would have. An HTTP API's
      // rawPath is already decoded (twice; see offhours.local.api.GatewayPath for the captures that
      // show it): it is matched as it is, as pathParameters are taken as they are.
      Optional<ApiRoutes.Match> match = ApiRoutes.match(method, rawPath);
      routeKey = match.map(ApiRoutes.Match::routeKey).orElse(method + " " + rawPath);
      pathParameters = match.map(ApiRoutes.Match::pathParameters).orElse(Map.of());
    }
    Map<String, String> headers = new LinkedHashMap<>();
    strings(root, "headers").forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
    String rawQuery = JsonText.string(root, "rawQueryString");
    return new ApiRequest(
        method,
        rawPath,
        routeKey,
        pathParameters,
        rawQuery != null ? parameters(rawQuery) : strings(root, "queryStringParameters"),
        headers,
        body(root),
        JsonText.string(context, "requestId"));
  }

  /** The handler's response event. */
  public static byte[] write(ApiResponse response) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("statusCode", response.status());
    event.put("headers", response.headers());
    event.put("body", response.body());
    event.put("isBase64Encoded", false);
    return JsonText.write(event).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The request event API Gateway would send for this HTTP request. Query values are decoded as forms encode them;
   * a body is base64-encoded unless its content type is text, as HTTP APIs do.
   *
   * @param path the path as an HTTP API delivers it in {@code rawPath}: already percent-decoded
   * @param rawQuery the query as received, still encoded (an HTTP API's {@code rawQueryString}); non-ASCII the client
   *     sent unencoded as its characters, which is all a JSON event can carry of raw bytes (local mode's
   *     offhours.local.api.RequestTarget reads them so; AWS does not document this case)
   * @param headers header name -> values, as received; a {@code Cookie} header's cookies go to {@code cookies}, not to
   *     {@code headers} ({@link #cookies})
   */
  public static byte[] request(
      String method,
      String path,
      String rawQuery,
      Map<String, List<String>> headers,
      byte[] body,
      String requestId,
      Instant time,
      String sourceIp) {
    Map<String, Object> event = new LinkedHashMap<>();
    Optional<ApiRoutes.Match> match = ApiRoutes.match(method, path);
    event.put("version", "2.0");
    event.put("routeKey", match.map(ApiRoutes.Match::routeKey).orElse("$default"));
    event.put("rawPath", path);
    event.put("rawQueryString", rawQuery == null ? "" : rawQuery);
    Map<String, String> joined = new LinkedHashMap<>();
    List<String> cookies = new ArrayList<>();
    headers.forEach((name, values) -> {
      if (name.equalsIgnoreCase("Cookie")) {
        values.forEach(value -> cookies.addAll(cookies(value)));
      } else {
        joined.put(name.toLowerCase(Locale.ROOT), String.join(",", values));
      }
    });
    if (!cookies.isEmpty()) {
      event.put("cookies", cookies);
    }
    event.put("headers", joined);
    if (rawQuery != null && !rawQuery.isEmpty()) {
      event.put("queryStringParameters", query(rawQuery));
    }
    match
        .filter(m -> !m.pathParameters().isEmpty())
        .ifPresent(m -> event.put("pathParameters", m.pathParameters()));
    Map<String, Object> http = new LinkedHashMap<>();
    http.put("method", method);
    http.put("path", path);
    http.put("protocol", "HTTP/1.1");
    http.put("sourceIp", sourceIp);
    http.put("userAgent", joined.getOrDefault("user-agent", ""));
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("accountId", "000000000000");
    context.put("apiId", "local");
    context.put("domainName", joined.getOrDefault("host", "127.0.0.1"));
    context.put("http", http);
    context.put("requestId", requestId);
    context.put("routeKey", event.get("routeKey"));
    context.put("stage", "$default");
    context.put("time", REQUEST_TIME.format(time));
    context.put("timeEpoch", time.toEpochMilli());
    event.put("requestContext", context);
    if (body.length > 0) {
      boolean text = isText(joined.get("content-type"));
      event.put(
          "body",
          text
              ? new String(body, StandardCharsets.UTF_8)
              : Base64.getEncoder().encodeToString(body));
      event.put("isBase64Encoded", !text);
    } else {
      event.put("isBase64Encoded", false);
    }
    return JsonText.write(event).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The cookies of one {@code Cookie} header, each {@code name=value} as sent, as an HTTP API lists them in the event's
   * {@code cookies} and leaves the header out of {@code headers} (payload format 2.0, the page above; the captured
   * events https://github.com/awsdocs/aws-lambda-developer-guide/blob/main/sample-apps/nodejs-apig/event-v2.json and
   * the one {@link #query} names show {@code a=1; b=2} as {@code ["a=1", "b=2"]} and no {@code cookie} header).
   */
  private static List<String> cookies(String header) {
    List<String> cookies = new ArrayList<>();
    for (String cookie : header.split(";")) {
      if (!cookie.isBlank()) {
        cookies.add(cookie.strip());
      }
    }
    return cookies;
  }

  /**
   * Reads a handler's response event as an HTTP API does. Valid JSON without a {@code statusCode} is a 200 whose
   * {@code application/json} body is that JSON, or the text of a JSON string (the page above, "Lambda function response
   * for format 2.0"); an answer that is not JSON throws {@link IllegalArgumentException}.
   */
  public static Reply response(byte[] event) {
    JsonNode root = JsonText.parse(event);
    if (root == null) {
      throw new IllegalArgumentException("the handler's answer is not JSON");
    }
    if (!root.isObject() || !root.asObject().containsKey("statusCode")) {
      return new Reply(
          200,
          Map.of("content-type", "application/json"),
          root.isString() ? root.asString().getBytes(StandardCharsets.UTF_8) : event);
    }
    int status = Integer.parseInt(root.asObject().get("statusCode").text());
    return new Reply(status, strings(root, "headers"), body(root));
  }

  /** An event's body as bytes: base64-decoded where {@code isBase64Encoded} says so, else its UTF-8 text. */
  private static byte[] body(JsonNode root) {
    String body = JsonText.string(root, "body");
    JsonNode encoded = root.asObject().get("isBase64Encoded");
    if (body == null) {
      return new byte[0];
    }
    return encoded != null && encoded.isBoolean() && encoded.asBoolean()
        ? Base64.getDecoder().decode(body)
        : body.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Whether API Gateway hands a body of this type to the function as text, not base64. AWS's page above says only that
   * a binary body is base64-encoded, not which types are binary. A check of a live HTTP API (payload format 2.0,
   * https://github.com/ministackorg/ministack/pull/766) found text for {@code text/*}, {@code application/json},
   * {@code application/xml} and {@code application/javascript} alone, and base64 for every other type, no
   * Content-Type and {@code application/x-www-form-urlencoded} (curl's default for {@code --data-binary}) included;
   * https://github.com/denoland/deno_registry2/issues/33 saw API Gateway base64-encode a form too. So an image curl
   * sends without {@code -H Content-Type} reaches the function whole.
   */
  static boolean isText(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return type.startsWith("text/") || TEXT_TYPES.contains(type);
  }

  /**
   * Query parameters as API Gateway puts them in {@code queryStringParameters}: decoded once, '+' as a space, a
   * repeated name's values joined with commas (the format 2.0 example in the page above; the captured event
   * https://github.com/hotsock/voker/blob/main/vokerhttp/testdata/apigwv2-request.json shows {@code a+b} as "a b",
   * {@code a%2Bb} as "a+b" and {@code repeat=one&repeat=two} as "one,two").
   */
  private static Map<String, String> query(String rawQuery) {
    Map<String, String> params = new LinkedHashMap<>();
    pairs(rawQuery, (name, value) -> params.merge(name, value, (a, b) -> a + "," + b));
    return params;
  }

  /**
   * The query parameters the handler reads, from {@code rawQueryString} (which API Gateway leaves encoded) decoded
   * once here, as {@link #query} but refusing a repeated name: in {@code queryStringParameters}
   * {@code label=a&label=b} and {@code label=a,b} are both "a,b", and a label or a key may hold a comma. Reading the
   * raw string also makes the answer independent of how often API Gateway decodes values (the path it decodes
   * twice).
   */
  private static Map<String, String> parameters(String rawQuery) {
    Map<String, String> params = new LinkedHashMap<>();
    pairs(rawQuery, (name, value) -> {
      if (params.putIfAbsent(name, value) != null) {
        throw new IllegalArgumentException(
            "the query names '" + Shown.value(name) + "' more than once;"
                + " give each parameter once (a value may hold commas: URL-encode it as %2C or leave"
                + " it as it is)");
      }
    });
    return params;
  }

  private static void pairs(String rawQuery, BiConsumer<String, String> each) {
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = UrlDecoding.form(eq < 0 ? pair : pair.substring(0, eq), "a query name");
      String value = eq < 0 ? "" : UrlDecoding.form(pair.substring(eq + 1), "the query's " + name);
      each.accept(name, value);
    }
  }

  private static Map<String, String> strings(JsonNode root, String field) {
    JsonNode node = root.asObject().get(field);
    Map<String, String> values = new LinkedHashMap<>();
    if (node != null && node.isObject()) {
      node.asObject().forEach((k, v) -> {
        if (v != null && !v.isNull()) {
          values.put(k, v.text());
        }
      });
    }
    return values;
  }
}
