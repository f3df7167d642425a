package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

/**
 * The SageMaker adapter against a loopback server that answers the SageMaker JSON 1.1 control plane and the runtime's
 * REST InvokeEndpoint the way the services do, so the SDK's real (un)marshalling is exercised.
 */
class SageMakerEndpointTest {
  private HttpServer server;
  private AwsClients clients;
  private SageMakerEndpoint endpoint;
  private final List<String> requests = new ArrayList<>();
  private volatile int status = 200;
  private volatile String answer = "{}";
  private volatile String errorType;
  /** What ListTags answers: by default this stack's tag. */
  private volatile String tagsAnswer = "{\"Tags\":[{\"Key\":\"offhours:stack-id\",\"Value\":\"" + STACK + "\"}]}";
  private volatile int tagsStatus = 200;
  static final String STACK = "arn:aws:cloudformation:eu-central-1:123456789012:stack/offhours/guid";

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.start();
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    clients = AwsClients.local(Region.EU_CENTRAL_1, Map.of(Service.SAGEMAKER, uri, Service.SAGEMAKER_RUNTIME, uri));
    endpoint = new SageMakerEndpoint(clients.build(Service.SAGEMAKER, SageMakerClient.builder()),
        clients.build(Service.SAGEMAKER_RUNTIME, SageMakerRuntimeClient.builder()), "offhours-endpoint",
        "offhours-endpoint-config", STACK);
  }

  private void answer(HttpExchange exchange) throws IOException {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1);
    requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
        + (target != null ? target + " " + body : exchange.getRequestHeaders().getFirst("Content-Type") + " "
            + body.length() + " bytes"));
    boolean tags = "SageMaker.ListTags".equals(target);
    byte[] out = (tags ? tagsAnswer : answer).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    if (tags && tagsStatus != 200) {
      exchange.getResponseHeaders().add("x-amzn-ErrorType", "ValidationException");
    } else if (!tags && errorType != null) {
      exchange.getResponseHeaders().add("x-amzn-ErrorType", errorType);
    }
    exchange.sendResponseHeaders(tags ? tagsStatus : status, out.length);
    exchange.getResponseBody().write(out);
    exchange.close();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    clients.close();
  }

  @Test
  void aMissingEndpointIsAbsent() {
    status = 400;
    errorType = "ValidationException";
    answer = "{\"__type\":\"ValidationException\",\"message\":\"Could not find endpoint \\\"offhours-endpoint\\\".\"}";
    assertThat(endpoint.describe()).isEqualTo(Endpoint.Status.ABSENT);
    assertThat(requests).containsExactly(
        "POST / SageMaker.DescribeEndpoint {\"EndpointName\":\"offhours-endpoint\"}");
  }

  @Test
  void statusesMapToTheControllersStates() {
    answer = "{\"EndpointName\":\"offhours-endpoint\",\"EndpointStatus\":\"Failed\",\"FailureReason\":\"no capacity\","
        + "\"EndpointConfigName\":\"offhours-endpoint-config\",\"CreationTime\":1768381200,\"LastModifiedTime\":1768381800}";
    assertThat(endpoint.describe()).isEqualTo(new Endpoint.Status(Endpoint.State.FAILED, "no capacity",
        Instant.parse("2026-01-14T09:00:00Z"), Instant.parse("2026-01-14T09:10:00Z"), "offhours-endpoint-config", false));
    answer = "{\"EndpointStatus\":\"SystemUpdating\",\"CreationTime\":1768381200}";
    assertThat(endpoint.describe().state()).isEqualTo(Endpoint.State.UPDATING);
    answer = "{\"EndpointStatus\":\"InService\",\"CreationTime\":1768381200}";
    assertThat(endpoint.describe().state()).isEqualTo(Endpoint.State.IN_SERVICE);
  }

  @Test
  void createUsesTheStacksEndpointConfigAndDeleteToleratesAMissingEndpoint() {
    answer = "{\"EndpointArn\":\"arn:aws:sagemaker:eu-central-1:1:endpoint/offhours-endpoint\"}";
    endpoint.create();
    status = 400;
    errorType = "ValidationException";
    answer = "{\"__type\":\"ValidationException\",\"message\":\"Could not find endpoint \\\"offhours-endpoint\\\".\"}";
    endpoint.delete();
    assertThat(requests).containsExactly(
        "POST / SageMaker.CreateEndpoint {\"EndpointName\":\"offhours-endpoint\",\"EndpointConfigName\":\"offhours-endpoint-config\","
            + "\"Tags\":[{\"Key\":\"offhours:stack-id\",\"Value\":\"" + STACK + "\"}]}",
        "POST / SageMaker.DeleteEndpoint {\"EndpointName\":\"offhours-endpoint\"}");
  }

  @Test
  void anEndpointWithoutThisStacksTagIsForeign() {
    answer = "{\"EndpointName\":\"offhours-endpoint\",\"EndpointArn\":\"arn:aws:sagemaker:eu-central-1:1:endpoint/"
        + "offhours-endpoint\",\"EndpointConfigName\":\"offhours-endpoint-config\",\"EndpointStatus\":\"InService\","
        + "\"CreationTime\":1768381200}";
    assertThat(endpoint.describe().foreign()).isFalse();
    assertThat(requests).last().asString().isEqualTo("POST / SageMaker.ListTags {\"ResourceArn\":\"arn:aws:sagemaker:"
        + "eu-central-1:1:endpoint/offhours-endpoint\",\"MaxResults\":100}");

    tagsAnswer = "{\"Tags\":[{\"Key\":\"offhours:stack-id\",\"Value\":\"arn:aws:cloudformation:eu-central-1:"
        + "123456789012:stack/other/guid\"}]}";
    assertThat(endpoint.describe().foreign()).as("tagged by another stack").isTrue();
    tagsAnswer = "{\"Tags\":[]}";
    assertThat(endpoint.describe().foreign()).as("not tagged").isTrue();
  }

  @Test
  void anEndpointDeletedBetweenDescribeAndListTagsIsAbsent() {
    answer = "{\"EndpointArn\":\"arn:aws:sagemaker:eu-central-1:1:endpoint/offhours-endpoint\","
        + "\"EndpointStatus\":\"Deleting\",\"CreationTime\":1768381200}";
    tagsStatus = 400;
    tagsAnswer = "{\"__type\":\"ValidationException\",\"message\":\"Resource does not exist.\"}";
    assertThat(endpoint.describe()).isEqualTo(Endpoint.Status.ABSENT);
  }

  @Test
  void theProbeSendsTheBuiltInImageAndNeedsAJsonArrayBack() {
    answer = "[0.1, 0.7, 0.05, 0.1, 0.05]";
    Endpoint.Probe ok = endpoint.probe();
    assertThat(ok).isEqualTo(new Endpoint.Probe(true, "5 class probabilities"));
    assertThat(requests).singleElement().asString()
        .isEqualTo("POST /endpoints/offhours-endpoint/invocations application/x-image "
            + SageMakerEndpoint.probeImage().length + " bytes");

    answer = "{\"predictions\":[]}";
    assertThat(endpoint.probe()).isEqualTo(
        new Endpoint.Probe(false, "answered {\"predictions\":[]}, not a JSON array of class probabilities"));
  }

  @Test
  void aProbeOfAnEndpointThatDoesNotAnswerFailsWithoutThrowing() {
    status = 400;
    errorType = "ValidationError";
    answer = "{\"message\":\"Endpoint offhours-endpoint of account 1 not found.\"}";
    Endpoint.Probe probe = endpoint.probe();
    assertThat(probe.ok()).isFalse();
    assertThat(probe.detail()).contains("Endpoint offhours-endpoint of account 1 not found.");
  }

  @Test
  void theBuiltInImageIsASmallPng() {
    byte[] png = SageMakerEndpoint.probeImage();
    assertThat(png.length).isBetween(100, 64 * 1024);
    assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
  }
}
