package offhours.endpoint;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

/**
 * CloudFormation custom resource that deletes the controller-owned endpoint with the stack, so no endpoint is left
 * billing. On Delete it records a manual stop (so no controller run re-creates the endpoint), disables the mapping and
 * deletes the endpoint. The response goes to the pre-signed {@code ResponseURL} with an HTTP PUT
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html).
 */
public final class EndpointCleanupHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  private final EndpointCleanup cleanup;
  private final HttpClient http;

  public EndpointCleanupHandler() {
    this(System.getenv());
  }

  private EndpointCleanupHandler(Map<String, String> env) {
    this(AwsClients.forLambda(env), ControllerConfig.fromEnvironment(env), HttpClient.newHttpClient());
  }

  public EndpointCleanupHandler(AwsClients clients, ControllerConfig config, HttpClient http) {
    this(new SageMakerEndpoint(clients.build(Service.SAGEMAKER, SageMakerClient.builder()),
            clients.build(Service.SAGEMAKER_RUNTIME, SageMakerRuntimeClient.builder()),
            config.endpointName(), config.endpointConfigName()),
        new LambdaMapping(clients.build(Service.LAMBDA, LambdaClient.builder()), config.mappingUuid()),
        new DynamoControlTable(clients.build(Service.DYNAMODB, DynamoDbClient.builder()), config.controlTableName()),
        "offhours-endpoint-cleanup-" + config.endpointName(), http);
  }

  public EndpointCleanupHandler(Endpoint endpoint, Mapping mapping, ControlStore store, String physicalResourceId,
      HttpClient http) {
    this.cleanup = new EndpointCleanup(endpoint, mapping, store, physicalResourceId);
    this.http = http;
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    Map<String, Object> response = cleanup.handle(event);
    String body = EndpointCleanup.json(response);
    if (context != null) {
      context.getLogger().log("custom resource response: " + body);
    }
    HttpRequest put = HttpRequest.newBuilder(URI.create(String.valueOf(event.get("ResponseURL"))))
        .timeout(Duration.ofSeconds(30)).PUT(HttpRequest.BodyPublishers.ofString(body)).build();
    try {
      HttpResponse<String> r = http.send(put, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException("CloudFormation response URL answered HTTP " + r.statusCode() + ": " + r.body());
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not PUT the custom resource response to CloudFormation: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending the custom resource response", e);
    }
    return response;
  }
}
