package offhours.api;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import offhours.endpoint.Backlog;
import offhours.endpoint.ControlState;
import offhours.endpoint.Decision;
import offhours.endpoint.Ledger;
import offhours.endpoint.ServerlessUsage;
import offhours.stack.FunctionVariables;
import offhours.stack.StackSpec;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointRequest;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;
import software.amazon.awssdk.services.sqs.SqsClient;

/** An API configured as template.yaml configures it (Berlin, Mon-Fri 08:00-19:00), and stack observations. */
final class ApiFixtures {

  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private ApiFixtures() {}

  /** The API's environment with the template's defaults, overridden by {@code changes}. */
  static Map<String, String> env(Map<String, String> changes) {
    Map<String, String> env = new HashMap<>();
    FunctionVariables.API_ENV.forEach((k, v) -> {
      if (v != null) {
        env.put(k, v);
      }
    });
    env.putAll(Map.of(
        "ENDPOINT_NAME",
        "offhours-endpoint-1a2b",
        "ENDPOINT_CONFIG_NAME",
        "offhours-config",
        "MAPPING_UUID",
        "f0e1d2c3",
        "QUEUE_URL",
        "https://sqs.eu-central-1.amazonaws.com/123456789012/q",
        "DLQ_URL",
        "https://sqs.eu-central-1.amazonaws.com/123456789012/dlq",
        "CONTROL_TABLE_NAME",
        "control",
        "RESULTS_TABLE_NAME",
        "results",
        "BUCKET_NAME",
        "offhours-images-123456789012-1a2b",
        "LABELS",
        String.join(",", StackSpec.DEFAULT_LABELS)));
    env.put(
        "STACK_ID",
        "arn:aws:cloudformation:eu-central-1:123456789012:stack/offhours/1a2b3c4d-guid");
    // The forecasts below are worked out for the policy without a latency budget and a 5-minute
    // controller timer.
    env.put("MAX_WAIT_MINUTES", "0");
    env.put("CONTROLLER_INTERVAL_SECONDS", "300");
    env.putAll(changes);
    return env;
  }

  static ApiConfig config(Map<String, String> changes) {
    return ApiConfig.fromEnv(env(changes));
  }

  static ApiConfig config() {
    return config(Map.of());
  }

  /** What the API would read at {@code at}: the controller's last decision (if any), its state, the queue. */
  static StackObserver.Observed seen(
      Instant at, Decision decision, ControlState state, Backlog.Snapshot queue) {
    LocalDate today = LocalDate.ofInstant(at, BERLIN);
    return new StackObserver.Observed(
        at,
        Optional.ofNullable(decision),
        state,
        queue,
        new Ledger.Day(today, 0, 0, 0, 0),
        BERLIN,
        null,
        ServerlessUsage.NONE,
        Optional.empty());
  }

  static StackObserver.Observed seen(Instant at) {
    return seen(at, null, ControlState.INITIAL, Backlog.Snapshot.EMPTY);
  }

  /** S3 whose HeadObject answers as {@code head} does; S3Client's other calls throw UnsupportedOperationException. */
  static S3Client headObject(Function<HeadObjectRequest, HeadObjectResponse> head) {
    return new S3Client() {
      @Override
      public HeadObjectResponse headObject(HeadObjectRequest request) {
        return head.apply(request);
      }

      @Override
      public String serviceName() {
        return "s3";
      }

      @Override
      public void close() {}
    };
  }

  /** S3 whose PutObject answers as {@code put} does; S3Client's other calls throw UnsupportedOperationException. */
  static S3Client putObject(BiFunction<PutObjectRequest, RequestBody, PutObjectResponse> put) {
    return new S3Client() {
      @Override
      public PutObjectResponse putObject(PutObjectRequest request, RequestBody content) {
        return put.apply(request, content);
      }

      @Override
      public String serviceName() {
        return "s3";
      }

      @Override
      public void close() {}
    };
  }

  /** SageMaker Runtime whose InvokeEndpoint answers as {@code invoke} does; its other calls throw. */
  static SageMakerRuntimeClient invokeEndpoint(
      Function<InvokeEndpointRequest, InvokeEndpointResponse> invoke) {
    return new SageMakerRuntimeClient() {
      @Override
      public InvokeEndpointResponse invokeEndpoint(InvokeEndpointRequest request) {
        return invoke.apply(request);
      }

      @Override
      public String serviceName() {
        return "sagemaker";
      }

      @Override
      public void close() {}
    };
  }

  /**
   * The API as {@link #config()} sets it, on 2026-11-25 at 09:40 UTC, with no AWS: each of its clients fails the test
   * if called, for answers given before any call (a refusal of the request itself).
   */
  static Api withoutAws() {
    return new Api(
        unused(S3Client.class),
        unused(SqsClient.class),
        unused(DynamoDbClient.class),
        unused(SageMakerRuntimeClient.class),
        config(),
        Clock.fixed(Instant.parse("2026-11-25T09:40:00Z"), ZoneOffset.UTC));
  }

  /** A client the answer must not need: any call fails the test. */
  static <T> T unused(Class<T> client) {
    return client.cast(Proxy.newProxyInstance(
        client.getClassLoader(), new Class<?>[] {client}, (proxy, method, args) -> {
          throw new AssertionError(client.getSimpleName() + "." + method.getName() + " was called");
        }));
  }
}
