package offhours.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import offhours.aws.AwsClients.Service;
import offhours.inference.Jitter;
import org.assertj.core.util.introspection.PropertyOrFieldSupport;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.servicequotas.ServiceQuotasClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Every client AwsClients builds retries as the SDK's own client for its service does (attempts, what it retries,
 * what counts as throttling, the pauses' bases and shapes), only its pauses draw from {@link Jitter}: the SDK's draw
 * from ThreadLocalRandom, whose state a SnapStart snapshot copies into every restored environment. The SDK offers no
 * getter for a strategy's backoffs, so their fields are read, as JitterTest does.
 */
class AwsClientsRetryTest {

  private static final Region REGION = Region.EU_WEST_1;

  /** Failures of each kind the SDK tells apart: server errors, throttling, clock skew, I/O, the caller's fault. */
  private static final List<Throwable> FAILURES = List.of(
      serviceError(500, "InternalFailure"),
      serviceError(503, "ServiceUnavailable"),
      serviceError(429, "TooManyRequestsException"),
      serviceError(400, "ThrottlingException"),
      serviceError(400, "ProvisionedThroughputExceededException"),
      serviceError(400, "RequestLimitExceeded"),
      serviceError(400, "RequestTimeTooSkewed"),
      serviceError(400, "TransactionInProgressException"),
      serviceError(400, "ValidationException"),
      serviceError(404, "ResourceNotFoundException"),
      SdkClientException.create("connection reset", new java.io.IOException("reset")));

  @Test
  void everyServiceKeepsTheSdksOwnRetriesAndPausesWithJitterInTheDefaultLegacyMode() {
    try (AwsClients clients = AwsClients.local(REGION, Map.of());
        SdkHttpClient http = UrlConnectionHttpClient.create()) {
      for (Service service : Service.values()) {
        RetryStrategy sdk = strategyOf(plain(service, http));
        RetryStrategy ours = strategyOf(built(clients, service));

        assertThat(ours.maxAttempts()).as("%s attempts", service).isEqualTo(sdk.maxAttempts());
        assertThat(decisions(ours)).as("%s retries", service).isEqualTo(decisions(sdk));
        assertThat(backoff(ours)).as("%s backoff", service).isInstanceOf(Jitter.Exponential.class);
        assertSameShape(backoff(ours), backoff(sdk), service + " backoff");
        assertThat(throttlingBackoff(ours))
            .as("%s throttling backoff", service)
            .isInstanceOf(Jitter.HalfExponential.class);
        assertSameShape(throttlingBackoff(ours), throttlingBackoff(sdk), service + " throttling");
      }
    }
  }

  /** What overrideConfiguration's retryStrategy(Consumer) would have lost: the SDK applies it to the generic one. */
  @Test
  void dynamoDbKeepsItsNineAttemptsFromTwentyFiveMilliseconds() {
    try (AwsClients clients = AwsClients.local(REGION, Map.of())) {
      RetryStrategy dynamo = strategyOf(built(clients, Service.DYNAMODB));

      assertThat(dynamo.maxAttempts()).isEqualTo(9);
      assertThat(decisions(dynamo))
          .as("the comparison above tells every outcome apart")
          .contains(
              "500 InternalFailure: retried",
              "400 ProvisionedThroughputExceededException: throttled",
              "400 ValidationException: not retried",
              "connection reset: retried");
      assertThat(backoff(dynamo))
          .isEqualTo(new Jitter.Exponential(Duration.ofMillis(25), Duration.ofSeconds(20)));
    }
  }

  @Test
  void theStandardAndAdaptiveModesKeepTheirOwnAttemptsAndThrottlingPauses() {
    for (String mode : List.of("standard", "adaptive")) {
      System.setProperty("aws.retryMode", mode);
      try (AwsClients clients = AwsClients.local(REGION, Map.of());
          SdkHttpClient http = UrlConnectionHttpClient.create()) {
        for (Service service : List.of(Service.SQS, Service.DYNAMODB, Service.S3)) {
          RetryStrategy sdk = strategyOf(plain(service, http));
          RetryStrategy ours = strategyOf(built(clients, service));

          assertThat(ours.getClass()).as("%s %s", mode, service).isEqualTo(sdk.getClass());
          assertThat(ours.maxAttempts()).as("%s %s", mode, service).isEqualTo(sdk.maxAttempts());
          assertThat(backoff(ours)).isInstanceOf(Jitter.Exponential.class);
          assertSameShape(backoff(ours), backoff(sdk), mode + " " + service);
          assertThat(throttlingBackoff(ours)).isEqualTo(Jitter.STANDARD_THROTTLING_BACKOFF);
          assertSameShape(throttlingBackoff(ours), throttlingBackoff(sdk), mode + " " + service);
        }
      } finally {
        System.clearProperty("aws.retryMode");
      }
    }
  }

  @Test
  void aCallersOwnRetryStrategyStands() {
    BackoffStrategy immediately = BackoffStrategy.retryImmediately();
    RetryStrategy own = AwsRetryStrategy.standardRetryStrategy().toBuilder()
        .backoffStrategy(immediately)
        .build();
    try (AwsClients clients = AwsClients.local(REGION, Map.of());
        SqsClient sqs = clients.build(
            Service.SQS, SqsClient.builder().overrideConfiguration(c -> c.retryStrategy(own)))) {
      assertThat(backoff(strategyOf(sqs))).isSameAs(immediately);
    }
  }

  @Test
  void aStrategyOfNoSdkModeIsLeftAsItIs() {
    RetryStrategy foreign = new RetryStrategy() {
      @Override
      public software.amazon.awssdk.retries.api.AcquireInitialTokenResponse acquireInitialToken(
          AcquireInitialTokenRequest request) {
        throw new UnsupportedOperationException();
      }

      @Override
      public software.amazon.awssdk.retries.api.RefreshRetryTokenResponse refreshRetryToken(
          RefreshRetryTokenRequest request) {
        throw new UnsupportedOperationException();
      }

      @Override
      public software.amazon.awssdk.retries.api.RecordSuccessResponse recordSuccess(
          software.amazon.awssdk.retries.api.RecordSuccessRequest request) {
        throw new UnsupportedOperationException();
      }

      @Override
      public int maxAttempts() {
        return 1;
      }

      @Override
      public RetryStrategy.Builder<?, ?> toBuilder() {
        throw new UnsupportedOperationException();
      }
    };

    assertThat(Jitter.drawnPerEnvironment(foreign, Duration.ofMillis(100))).isSameAs(foreign);
  }

  private static SdkClient built(AwsClients clients, Service service) {
    return switch (service) {
      case S3 -> clients.build(service, S3Client.builder());
      case SQS -> clients.build(service, SqsClient.builder());
      case DYNAMODB -> clients.build(service, DynamoDbClient.builder());
      case SAGEMAKER -> clients.build(service, SageMakerClient.builder());
      case SAGEMAKER_RUNTIME -> clients.build(service, SageMakerRuntimeClient.builder());
      case LAMBDA -> clients.build(service, LambdaClient.builder());
      case CLOUDFORMATION -> clients.build(service, CloudFormationClient.builder());
      case LOGS -> clients.build(service, CloudWatchLogsClient.builder());
      case SERVICE_QUOTAS -> clients.build(service, ServiceQuotasClient.builder());
    };
  }

  /** The service's client as the SDK builds it, without AwsClients. */
  private static SdkClient plain(Service service, SdkHttpClient http) {
    return switch (service) {
      case S3 -> plain(S3Client::builder, http);
      case SQS -> plain(SqsClient::builder, http);
      case DYNAMODB -> plain(DynamoDbClient::builder, http);
      case SAGEMAKER -> plain(SageMakerClient::builder, http);
      case SAGEMAKER_RUNTIME -> plain(SageMakerRuntimeClient::builder, http);
      case LAMBDA -> plain(LambdaClient::builder, http);
      case CLOUDFORMATION -> plain(CloudFormationClient::builder, http);
      case LOGS -> plain(CloudWatchLogsClient::builder, http);
      case SERVICE_QUOTAS -> plain(ServiceQuotasClient::builder, http);
    };
  }

  private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C plain(
      Supplier<B> builder, SdkHttpClient http) {
    return builder
        .get()
        .httpClient(http)
        .region(REGION)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("offhours", "offhours")))
        .build();
  }

  private static RetryStrategy strategyOf(SdkClient client) {
    return client
        .serviceClientConfiguration()
        .overrideConfiguration()
        .retryStrategy()
        .orElseThrow();
  }

  private static BackoffStrategy backoff(RetryStrategy strategy) {
    return (BackoffStrategy) field(strategy, "backoffStrategy");
  }

  private static BackoffStrategy throttlingBackoff(RetryStrategy strategy) {
    return (BackoffStrategy) field(strategy, "throttlingBackoffStrategy");
  }

  private static Object field(Object of, String name) {
    return PropertyOrFieldSupport.EXTRACTION.getValueOf(name, of);
  }

  /** Jitter's backoff and the SDK's one grow from the same base to the same cap with the same jitter. */
  private static void assertSameShape(BackoffStrategy ours, BackoffStrategy sdk, String what) {
    String shape = ours instanceof Jitter.HalfExponential
        ? "ExponentialDelayWithHalfJitter"
        : "ExponentialDelayWithJitter";
    assertThat(sdk.getClass().getSimpleName()).as(what + " jitter").isEqualTo(shape);
    assertThat(List.of(field(ours, "base"), field(ours, "max")))
        .as(what + " base and cap")
        .isEqualTo(List.of(field(sdk, "baseDelay"), field(sdk, "maxDelay")));
  }

  /**
   * For each failure: whether a legacy-mode strategy retries it, and whether it pauses as after throttling (half
   * jitter on 500 ms: at least 250 ms before the second attempt; other failures wait less than 100 ms).
   */
  private static List<String> decisions(RetryStrategy strategy) {
    return FAILURES.stream()
        .map(failure -> {
          RetryToken token = strategy
              .acquireInitialToken(AcquireInitialTokenRequest.create("offhours"))
              .token();
          Duration pause;
          try {
            pause = strategy
                .refreshRetryToken(RefreshRetryTokenRequest.builder()
                    .token(token)
                    .failure(failure)
                    .build())
                .delay();
          } catch (TokenAcquisitionFailedException notRetried) {
            return label(failure) + ": not retried";
          }
          return label(failure) + (pause.toMillis() >= 250 ? ": throttled" : ": retried");
        })
        .toList();
  }

  private static String label(Throwable failure) {
    return failure instanceof AwsServiceException e
        ? e.statusCode() + " " + e.awsErrorDetails().errorCode()
        : failure.getMessage();
  }

  private static AwsServiceException serviceError(int status, String code) {
    return AwsServiceException.builder()
        .statusCode(status)
        .message(code)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build())
        .build();
  }
}
