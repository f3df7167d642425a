package offhours.local.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import offhours.units.Shown;

/**
 * Lambda's REST-JSON event source mapping operations over HTTP, so the SDK's {@code LambdaClient} works
 * with only an endpoint override. Paths, status codes and error shapes follow the Lambda API reference
 * (https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html and siblings):
 * errors carry {@code x-amzn-ErrorType} and a body {"Type":"User","Message":...}.
 */
final class MappingApi implements HttpHandler {

  static final String PATH = "/2015-03-31/event-source-mappings";

  private static final System.Logger LOG = System.getLogger(MappingApi.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The operations behind the API; LocalLambda implements them. */
  interface Backend {
    EventSourceMapping create(
        LocalFunction function,
        String eventSourceArn,
        EventSourceMapping.MappingSettings config,
        boolean enabled);

    LocalFunction function(String nameOrArn);

    EventSourceMapping mapping(String uuid);

    List<EventSourceMapping> mappings();
  }

  private final Backend operations;

  MappingApi(Backend operations) {
    this.operations = operations;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String requestId = UUID.randomUUID().toString();
      exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
      try {
        route(exchange);
      } catch (LambdaError e) {
        LambdaError.write(exchange, e.status, e.type, e.getMessage());
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, "local Lambda API failed on " + exchange.getRequestURI(), e);
        exchange.getResponseHeaders().set("x-amzn-ErrorType", "ServiceException");
        respond(exchange, 500, Map.of("Type", "Service", "Message", "local Lambda failed: " + e));
      }
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    String rest = path.startsWith(PATH) ? path.substring(PATH.length()) : null;
    if (rest != null && (rest.isEmpty() || rest.equals("/"))) {
      switch (method) {
        case "POST" -> {
          respond(exchange, 202, create(body(exchange)).describe());
          return;
        }
        case "GET" -> {
          respond(exchange, 200, list(query(exchange.getRequestURI().getRawQuery())));
          return;
        }
        default -> {}
      }
    } else if (rest != null && rest.lastIndexOf('/') == 0) {
      String uuid = rest.substring(1);
      switch (method) {
        case "GET" -> {
          respond(exchange, 200, operations.mapping(uuid).describe());
          return;
        }
        case "PUT" -> {
          EventSourceMapping mapping = operations.mapping(uuid);
          update(mapping, body(exchange));
          respond(exchange, 202, mapping.describe());
          return;
        }
        case "DELETE" -> {
          EventSourceMapping mapping = operations.mapping(uuid);
          mapping.delete();
          respond(exchange, 202, mapping.describe());
          return;
        }
        default -> {}
      }
    }
    throw LambdaError.unknownOperation(Shown.value(method) + " " + Shown.value(path));
  }

  private EventSourceMapping create(JsonNode body) {
    String functionName = text(body, "FunctionName");
    if (functionName == null) {
      throw LambdaError.validation("functionName", null, "Member must not be null");
    }
    String eventSourceArn = text(body, "EventSourceArn");
    if (eventSourceArn == null
        || !eventSourceArn.matches("arn:aws[a-z-]*:sqs:[a-z0-9-]+:\\d{12}:[\\w.-]+")) {
      throw LambdaError.invalidParameter(
          "offhours' local Lambda supports only SQS queue event sources "
              + "(arn:aws:sqs:REGION:ACCOUNT:QUEUE); got " + Shown.value(eventSourceArn));
    }
    LocalFunction function = operations.function(functionName);
    for (EventSourceMapping existing : operations.mappings()) {
      if (existing.eventSourceArn.equals(eventSourceArn) && existing.function.equals(function)) {
        // The message AWS answers for a duplicate mapping of the same queue and function.
        throw LambdaError.conflict(
            "The event source arn (\" " + eventSourceArn + " \") and function (\" "
                + function.name()
                + " \") provided mapping already exists. Please update or delete the existing "
                + "mapping with UUID " + existing.uuid);
      }
    }
    // SQS defaults: BatchSize 10, no batching window, no MaximumConcurrency (see
    // CreateEventSourceMapping).
    EventSourceMapping.MappingSettings config =
        config(body, new EventSourceMapping.MappingSettings(10, 0, false, null));
    JsonNode enabled = body.path("Enabled");
    return operations.create(
        function, eventSourceArn, config, !enabled.isBoolean() || enabled.booleanValue());
  }

  private void update(EventSourceMapping mapping, JsonNode body) {
    String functionName = text(body, "FunctionName");
    if (functionName != null && !operations.function(functionName).equals(mapping.function)) {
      throw LambdaError.invalidParameter("offhours' local Lambda cannot move mapping "
          + mapping.uuid + " to another function; delete it and create a new one");
    }
    JsonNode enabled = body.path("Enabled");
    mapping.update(
        config(body, mapping.config()), enabled.isBoolean() ? enabled.booleanValue() : null);
  }

  /** Merges the request into {@code base} and checks the result against Lambda's limits for SQS. */
  static EventSourceMapping.MappingSettings config(
      JsonNode body, EventSourceMapping.MappingSettings base) {
    int batchSize = body.hasNonNull("BatchSize") ? body.get("BatchSize").asInt() : base.batchSize();
    int window = body.hasNonNull("MaximumBatchingWindowInSeconds")
        ? body.get("MaximumBatchingWindowInSeconds").asInt()
        : base.batchingWindowSeconds();
    boolean report = base.reportBatchItemFailures();
    if (body.has("FunctionResponseTypes")) {
      report = false;
      for (JsonNode type : body.get("FunctionResponseTypes")) {
        if (!type.asText().equals("ReportBatchItemFailures")) {
          throw LambdaError.validation(
              "functionResponseTypes",
              "[" + type.asText() + "]",
              "Member must satisfy constraint: [Member must satisfy enum value set: [ReportBatchItemFailures]]");
        }
        report = true;
      }
    }
    Integer concurrency = base.maximumConcurrency();
    if (body.has("ScalingConfig")) {
      // An empty ScalingConfig removes the limit.
      JsonNode value = body.get("ScalingConfig").path("MaximumConcurrency");
      concurrency = value.isNumber() ? value.asInt() : null;
    }
    if (batchSize < 1) {
      throw LambdaError.validation(
          "batchSize", batchSize, "Member must have value greater than or equal to 1");
    }
    if (batchSize > 10000) {
      throw LambdaError.validation(
          "batchSize", batchSize, "Member must have value less than or equal to 10000");
    }
    if (window < 0) {
      throw LambdaError.validation(
          "maximumBatchingWindowInSeconds",
          window,
          "Member must have value greater than or equal to 0");
    }
    if (window > 300) {
      throw LambdaError.validation(
          "maximumBatchingWindowInSeconds",
          window,
          "Member must have value less than or equal to 300");
    }
    if (concurrency != null && concurrency < 2) {
      throw LambdaError.validation(
          "scalingConfig.maximumConcurrency",
          concurrency,
          "Member must have value greater than or equal to 2");
    }
    if (concurrency != null && concurrency > 1000) {
      throw LambdaError.validation(
          "scalingConfig.maximumConcurrency",
          concurrency,
          "Member must have value less than or equal to 1000");
    }
    // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html: more than 10
    // messages per batch need a batching window.
    if (batchSize > 10 && window == 0) {
      throw LambdaError.invalidParameter(
          "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10");
    }
    return new EventSourceMapping.MappingSettings(batchSize, window, report, concurrency);
  }

  private Map<String, Object> list(Map<String, String> query) {
    String arn = query.get("EventSourceArn");
    String functionName = query.get("FunctionName");
    LocalFunction function = functionName == null ? null : operations.function(functionName);
    List<Map<String, Object>> found = operations.mappings().stream()
        .filter(m -> arn == null || m.eventSourceArn.equals(arn))
        .filter(m -> function == null || m.function.equals(function))
        .map(EventSourceMapping::describe)
        .toList();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("EventSourceMappings", found);
    return out;
  }

  private static String text(JsonNode body, String field) {
    JsonNode node = body.path(field);
    return node.isTextual() && !node.asText().isEmpty() ? node.asText() : null;
  }

  private static JsonNode body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readAllBytes();
      return bytes.length == 0 ? NullNode.getInstance() : JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      // Unanswered, it would leave the handler and the server would drop the connection.
      throw LambdaError.invalidContent(
          "Could not parse request body into json: " + Shown.escaped(e.getOriginalMessage()));
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          out.put(
              URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }

  private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
