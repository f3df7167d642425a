package offhours.endpoint;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

/**
 * A loopback server answering SageMaker's JSON 1.1 the way the service does for endpoint "ep" and its inference
 * component "ep-ic", so the SDK's real marshalling is exercised; it starts with an InService endpoint of this stack
 * (no instance) and no component. It refuses DeleteEndpoint while the endpoint has a component and
 * DeleteInferenceComponent while the component is Creating or Updating, as SageMaker does. Public for the stack-delete
 * cleanup's tests ({@code offhours.endpoint.cfn}).
 */
public final class ComponentSageMaker implements AutoCloseable {
  public static final String IN_SERVICE_ENDPOINT = "{\"EndpointName\":\"ep\",\"EndpointArn\":"
      + "\"arn:aws:sagemaker:eu-central-1:123456789012:endpoint/ep\",\"EndpointConfigName\":\"ep-config\","
      + "\"EndpointStatus\":\"InService\",\"CreationTime\":1764000000,\"LastModifiedTime\":1764000000,"
      + "\"ProductionVariants\":[{\"VariantName\":\"model-1\",\"CurrentInstanceCount\":%d}]}";
  public static final String NO_COMPONENT = "!{\"__type\":\"ValidationException\",\"message\":"
      + "\"Could not find inference component \\\"arn:aws:sagemaker:eu-central-1:123456789012:inference-component/ep-ic\\\".\"}";

  /** The answer per X-Amz-Target (or "invoke"); a leading "!" answers it as a 400 ValidationException. */
  public final Map<String, String> answers = new ConcurrentHashMap<>();

  /** Each request: its operation and body, or "invoke" and the component an invocation names. */
  public final List<String> requests = new CopyOnWriteArrayList<>();

  /** What changes once a request of this X-Amz-Target succeeds (a component that starts Deleting, say). */
  public final Map<String, Runnable> after = new ConcurrentHashMap<>();

  private final HttpServer server;
  private final AwsClients clients;

  public ComponentSageMaker(String stackId) {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::answer);
    server.start();
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    clients = AwsClients.local(
        Region.EU_CENTRAL_1, Map.of(Service.SAGEMAKER, uri, Service.SAGEMAKER_RUNTIME, uri));
    answers.put(
        "SageMaker.ListTags",
        "{\"Tags\":[{\"Key\":\"offhours:stack-id\",\"Value\":\"" + stackId + "\"}]}");
    answers.put("SageMaker.DescribeEndpoint", IN_SERVICE_ENDPOINT.formatted(0));
    answers.put("SageMaker.DescribeInferenceComponent", NO_COMPONENT);
  }

  public SageMakerClient sageMaker() {
    return clients.build(Service.SAGEMAKER, SageMakerClient.builder());
  }

  SageMakerRuntimeClient runtime() {
    return clients.build(Service.SAGEMAKER_RUNTIME, SageMakerRuntimeClient.builder());
  }

  /** Component "ep-ic" of {@code model} in {@code status}, with these copy counts. */
  public void component(String status, int desired, int current, String model) {
    answers.put(
        "SageMaker.DescribeInferenceComponent",
        "{\"InferenceComponentName\":\"ep-ic\",\"EndpointName\":\"ep\","
            + "\"VariantName\":\"model-1\",\"Specification\":{\"ModelName\":\"" + model
            + "\"},\"RuntimeConfig\":"
            + "{\"DesiredCopyCount\":" + desired + ",\"CurrentCopyCount\":" + current
            + "},\"CreationTime\":1764000000,"
            + "\"LastModifiedTime\":1764003600,\"InferenceComponentStatus\":\"" + status + "\"}");
  }

  /** The operations requested, in order. */
  public List<String> calls() {
    return requests.stream().map(r -> r.substring(0, r.indexOf(' '))).toList();
  }

  @Override
  public void close() {
    server.stop(0);
    clients.close();
  }

  private void answer(HttpExchange exchange) throws IOException {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String component =
        exchange.getRequestHeaders().getFirst("X-Amzn-SageMaker-Inference-Component");
    requests.add(
        target != null
            ? target.substring("SageMaker.".length()) + " " + body
            : "invoke " + component);
    String out = answers.getOrDefault(target != null ? target : "invoke", "{}");
    if ("SageMaker.DeleteEndpoint".equals(target)
        && !NO_COMPONENT.equals(answers.get("SageMaker.DescribeInferenceComponent"))) {
      // As SageMaker: an endpoint goes only once its components are gone.
      out =
          "!{\"__type\":\"ValidationException\",\"message\":\"There are some underlying Models that"
              + " are part of this endpoint.\"}";
    }
    String described = answers.get("SageMaker.DescribeInferenceComponent");
    if ("SageMaker.DeleteInferenceComponent".equals(target)
        && described.matches(".*\"InferenceComponentStatus\":\"(Creating|Updating)\".*")) {
      // As SageMaker: a component is deleted only once it has settled (ComponentEndpoint#settled).
      out = "!{\"__type\":\"ValidationException\",\"message\":\"Cannot delete inference component"
          + " ep-ic while it is changing.\"}";
    }
    Runnable then = target == null ? null : after.get(target);
    if (then != null && !out.startsWith("!")) {
      then.run();
    }
    boolean error = out.startsWith("!");
    byte[] bytes = (error ? out.substring(1) : out).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    if (error) {
      exchange.getResponseHeaders().add("x-amzn-ErrorType", "ValidationException");
    }
    exchange.sendResponseHeaders(error ? 400 : 200, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
