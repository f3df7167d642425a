package offhours.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Objects;

/**
 * A function that takes a JSON object, such as the endpoint controller, as Lambda's runtime runs a
 * {@code RequestHandler<Map<String, Object>, ?>}: the event's JSON read as a map (JSON null as null), the answer
 * written back as JSON.
 */
final class JsonFunction {

  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonFunction() {}

  /** {@code init} as the local Lambda starts an environment, each environment's handler its own. */
  static ExecutionEnvironment.Init of(ExecutionEnvironment.JsonInit init) {
    Objects.requireNonNull(init, "init");
    return environment -> stream(init.handler(environment));
  }

  private static RequestStreamHandler stream(RequestHandler<Map<String, Object>, ?> handler) {
    Objects.requireNonNull(handler, "the init's handler");
    return (in, out, context) -> {
      Map<String, Object> event = JSON.readValue(in, new TypeReference<>() {});
      JSON.writeValue(out, handler.handleRequest(event, context));
    };
  }
}
