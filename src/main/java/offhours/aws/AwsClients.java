package offhours.aws;

import java.net.URI;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * The one place that builds AWS clients. Every client shares one UrlConnection HTTP client (Apache and
 * Netty are excluded from the build), one region and one credentials provider; local mode adds an
 * endpoint per service.
 *
 * <p>Callers name the service next to the builder, so this class never references a service's client
 * type: the Classify function can use it without carrying the SageMaker control-plane SDK.
 */
public final class AwsClients implements AutoCloseable {

  /** The services offhours talks to; the key for a local endpoint override. */
  public enum Service { S3, SQS, DYNAMODB, SAGEMAKER, SAGEMAKER_RUNTIME, LAMBDA, CLOUDFORMATION }

  static final java.time.Duration SOCKET_TIMEOUT = java.time.Duration.ofSeconds(70);

  private final SdkHttpClient http;
  private final Region region;
  private final AwsCredentialsProvider credentials;
  private final Map<Service, URI> endpoints;

  private AwsClients(Region region, AwsCredentialsProvider credentials, Map<Service, URI> endpoints) {
    // InvokeEndpoint may take the model's full 60 s; the default 30 s read timeout would cut it short
    // (https://docs.aws.amazon.com/sagemaker/latest/dg/realtime-endpoints-test-endpoints.html).
    this.http = UrlConnectionHttpClient.builder().socketTimeout(SOCKET_TIMEOUT).build();
    this.region = Objects.requireNonNull(region, "region");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.endpoints = endpoints.isEmpty() ? Map.of() : new EnumMap<>(endpoints);
  }

  /**
   * Inside a Lambda function: region from {@code AWS_REGION}; credentials from the function's environment
   * variables (the fastest provider at cold start), or, on a SnapStart version, from the local credentials
   * endpoint Lambda announces in {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}: SnapStart functions get no
   * {@code AWS_ACCESS_KEY_ID} (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-activate.html).
   */
  public static AwsClients forLambda(Map<String, String> env) {
    String region = env.get("AWS_REGION");
    if (region == null || region.isBlank()) {
      throw new IllegalStateException("AWS_REGION is not set; Lambda sets it for every function");
    }
    return new AwsClients(Region.of(region), lambdaCredentials(env), Map.of());
  }

  static AwsCredentialsProvider lambdaCredentials(Map<String, String> env) {
    String containerUri = env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    if (containerUri != null && !containerUri.isBlank()) {
      // Reads the URI and AWS_CONTAINER_AUTHORIZATION_TOKEN from the process environment itself.
      return ContainerCredentialsProvider.builder().build();
    }
    return EnvironmentVariableCredentialsProvider.create();
  }

  /** On a user's machine against a deployed stack in {@code region}: credentials from the usual profile chain. */
  public static AwsClients forUser(Region region) {
    return new AwsClients(region, DefaultCredentialsProvider.builder().build(), Map.of());
  }

  /** Against local, protocol-compatible services. The credentials are dummies the emulators accept. */
  public static AwsClients local(Region region, Map<Service, URI> endpoints) {
    return new AwsClients(
        region, StaticCredentialsProvider.create(AwsBasicCredentials.create("offhours", "offhours")), endpoints);
  }

  public Region region() {
    return region;
  }

  /** Builds a client of {@code service} from its builder, e.g. {@code build(Service.S3, S3Client.builder())}. */
  public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(Service service, B builder) {
    builder.httpClient(http).region(region).credentialsProvider(credentials);
    URI endpoint = endpoints.get(service);
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder.build();
  }

  @Override
  public void close() {
    http.close();
  }
}
