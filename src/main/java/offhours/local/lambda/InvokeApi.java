package offhours.local.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import offhours.local.invocation.FunctionInvoker;
import offhours.local.invocation.Invoked;
import offhours.units.Shown;

/**
 * Lambda's synchronous Invoke ({@code POST /2015-03-31/functions/{name}/invocations}) of the registered functions, with
 * a JSON object for payload: the CLI's {@code endpoint start|stop} reach the local controller exactly as they reach
 * the deployed one. The invocation runs as every other one ({@link OneInvocation}): in an execution environment,
 * ended at the function's timeout. A handler's exception, or a timeout, is answered as Lambda does: status 200, header
 * {@code X-Amz-Function-Error: Unhandled}, body {errorMessage, errorType}
 * (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html).
 */
final class InvokeApi implements HttpHandler {

  static final String PATH = "/2015-03-31/functions/";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The registered function of each name; null for a name not registered. */
  private final Function<String, FunctionInvoker> functions;

  InvokeApi(Function<String, FunctionInvoker> functions) {
    this.functions = functions;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
      String rest = exchange.getRequestURI().getPath().substring(PATH.length());
      int slash = rest.indexOf('/');
      if (!"POST".equals(exchange.getRequestMethod())
          || slash < 0
          || !rest.substring(slash).equals("/invocations")) {
        LambdaError.write(
            exchange,
            404,
            "UnknownOperationException",
            "the local Lambda serves only Invoke under " + PATH);
        return;
      }
      String name = rest.substring(0, slash);
      name = name.substring(name.lastIndexOf(':') + 1); // a function ARN names the function last
      FunctionInvoker function = functions.apply(name);
      if (function == null) {
        LambdaError.write(
            exchange, 404, "ResourceNotFoundException", "Function not found: " + Shown.value(name));
        return;
      }
      byte[] payload;
      try {
        payload = payload(exchange.getRequestBody().readAllBytes());
      } catch (LambdaError e) {
        LambdaError.write(exchange, e.status, e.type, e.getMessage());
        return;
      }
      Invoked invoked = function.invoke(payload);
      exchange.getResponseHeaders().set("x-amzn-RequestId", invoked.requestId());
      byte[] answer = invoked.response();
      if (invoked.failed()) {
        exchange.getResponseHeaders().set("X-Amz-Function-Error", "Unhandled");
        Map<String, Object> failure = new LinkedHashMap<>();
        failure.put("errorMessage", invoked.errorMessage());
        failure.put("errorType", invoked.errorType());
        answer = JSON.writeValueAsBytes(failure);
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.getResponseHeaders().set("X-Amz-Executed-Version", "$LATEST");
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
    }
  }

  /**
   * The payload as the function's event: a JSON object, or JSON null (Lambda hands that on as it is); empty is an empty
   * object. Anything else is refused as Lambda refuses a payload it cannot parse, rather than dropped with the
   * connection.
   */
  private static byte[] payload(byte[] body) {
    if (body.length == 0) {
      return "{}".getBytes(StandardCharsets.UTF_8);
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(body);
    } catch (IOException e) {
      // Bytes in memory fail only as JSON; the message is the parser's, without a location.
      throw LambdaError.invalidContent("Could not parse request body into json: "
          + Shown.escaped(
              e instanceof JsonProcessingException json
                  ? json.getOriginalMessage()
                  : e.getMessage()));
    }
    if (!tree.isNull() && !tree.isObject()) {
      throw LambdaError.invalidContent(
          "the local Lambda's functions take a JSON object; the payload is a JSON "
              + tree.getNodeType().name().toLowerCase(Locale.ROOT));
    }
    return body;
  }
}
