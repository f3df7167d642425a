package offhours.stack;

// Needs: target/api.zip, built by `mvn package` (failsafe runs this after it), and moto_server (pip
// install "moto[server]") on PATH or in ~/.pyenv/shims, or OFFHOURS_TEST_AWS_ENDPOINT.

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.net.URI;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import offhours.api.HttpEvents;
import offhours.aws.AwsClients.Service;
import offhours.testing.AwsServicesExtension;
import offhours.testing.AwsServicesExtension.AwsServices;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/** api.zip holds what the API function needs and nothing of the controller, local mode or Jackson databind. */
@ExtendWith(AwsServicesExtension.class)
class ApiPackageIT {

  private static final Path TARGET =
      Path.of(System.getProperty("offhours.packageDirectory", "target"));

  private static LambdaPackage api;

  @BeforeAll
  static void readPackage() throws Exception {
    api = LambdaPackage.read(TARGET.resolve("api.zip"));
  }

  @Test
  void apiZipCarriesNeitherTheControlPlaneNorLocalModeNorJacksonDatabindNorTheEventsLibrary() {
    for (String forbidden : List.of(
        "software/amazon/awssdk/services/sagemaker/",
        "software/amazon/awssdk/services/lambda/",
        "software/amazon/awssdk/services/cloudformation/",
        "software/amazon/awssdk/services/cloudwatchlogs/",
        "software/amazon/awssdk/services/sts/",
        "software/amazon/awssdk/services/sso/",
        "software/amazon/awssdk/services/ssooidc/",
        "software/amazon/awssdk/services/servicequotas/",
        "offhours/stack/QuotaNeeds",
        "ai/onnxruntime/",
        "offhours/local/",
        "offhours/cli/",
        "offhours/ui/",
        "offhours/testing/",
        "offhours/endpoint/sim/",
        "offhours/endpoint/EndpointController",
        "offhours/endpoint/SageMakerEndpoint",
        "offhours/endpoint/LambdaMapping",
        "offhours/classify/ClassifyHandler",
        "com/fasterxml/jackson/databind/",
        "com/amazonaws/services/lambda/runtime/events/",
        "org/joda/",
        "org/apache/http/",
        "io/netty/")) {
      assertThat(api.classesUnder(forbidden))
          .as("classes under %s in api.zip", forbidden)
          .isEmpty();
    }
    assertThat(api.entries).containsKey("offhours/api/ApiHandler.class");
  }

  @Test
  void everyOwnClassFindsWhatItReferencesInsideTheZip() {
    assertThat(api.unresolvedReferences())
        .as("classes referenced by offhours code but missing from api.zip")
        .isEmpty();
  }

  @Test
  void theHandlerFromTheZipAloneAnswersGetStatusAgainstRealServices(
      AwsServices services, @TempDir Path dir) throws Exception {
    String suffix = UUID.randomUUID().toString();
    String control = "offhours-control-" + suffix;
    try (DynamoDbClient dynamo =
            services.clients().build(Service.DYNAMODB, DynamoDbClient.builder());
        SqsClient sqs = services.clients().build(Service.SQS, SqsClient.builder())) {
      dynamo.createTable(StackSpec.CONTROL_TABLE.createTableRequest(control));
      // A controller's state with drain rates and their instance counts: the zip reads it with its
      // own classes (DynamoControlTable, DrainMeter and its Rate).
      dynamo.putItem(b -> b.tableName(control)
          .item(Map.of(
              "pk", AttributeValue.fromS("controller"),
              "sk", AttributeValue.fromS("state"),
              "version", AttributeValue.fromN("1"),
              "hosting", AttributeValue.fromS("scheduled"),
              "drainPerSecond", AttributeValue.fromL(List.of(AttributeValue.fromN("4.5"))),
              "drainInstances", AttributeValue.fromL(List.of(AttributeValue.fromN("1"))))));
      // When the controller's first run started the ledger: today's always-on counts from it.
      Instant started = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
      dynamo.putItem(b -> b.tableName(control)
          .item(Map.of(
              "pk", AttributeValue.fromS("controller"),
              "sk", AttributeValue.fromS("ledgerStart"),
              "at", AttributeValue.fromS(started.toString()))));
      String queue =
          sqs.createQueue(b -> b.queueName("offhours-queue-" + suffix)).queueUrl();
      String dlq = sqs.createQueue(b -> b.queueName("offhours-dlq-" + suffix)).queueUrl();
      Map<String, String> env = new HashMap<>();
      FunctionVariables.API_ENV.forEach((k, v) -> {
        if (v != null) {
          env.put(k, v);
        }
      });
      env.putAll(Map.of(
          "ENDPOINT_NAME",
          "offhours-endpoint",
          "ENDPOINT_CONFIG_NAME",
          "c",
          "MAPPING_UUID",
          "m",
          "QUEUE_URL",
          queue,
          "DLQ_URL",
          dlq,
          "CONTROL_TABLE_NAME",
          control,
          "RESULTS_TABLE_NAME",
          "results",
          "BUCKET_NAME",
          "images",
          "LABELS",
          "cat,dog"));
      env.put("STACK_ID", "arn:aws:cloudformation:us-east-1:123456789012:stack/offhours/guid");

      String answer;
      try (URLClassLoader loader = api.isolatedClassLoader(dir)) {
        answer = invoke(
            loader,
            env,
            services.endpoint(),
            HttpEvents.request(
                "GET",
                "/status",
                "",
                Map.of("host", List.of("api.example")),
                new byte[0],
                "r-1",
                Instant.now(),
                "127.0.0.1"));
      }

      assertThat(answer)
          .startsWith("{\"statusCode\":200,")
          .contains("\\\"state\\\":\\\"UNKNOWN\\\"")
          .contains("\\\"visible\\\":0")
          .as("today's always-on from the controller's first run, read by the zip's own classes")
          .contains("\\\"alwaysOnSince\\\":\\\"" + started + "\\\"")
          .as("the controller's outlook, read from the zip's own classes")
          .contains("\\\"nextRun\\\":\\\"the first schedule tick");
    }
  }

  /** Builds the handler inside {@code loader} as Lambda would (its config from {@code env}) and invokes it once. */
  private static String invoke(
      URLClassLoader loader, Map<String, String> env, URI endpoint, byte[] event) throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      Object config = loader
          .loadClass("offhours.api.ApiConfig")
          .getMethod("fromEnv", Map.class)
          .invoke(null, env);
      Class<?> service = loader.loadClass("offhours.aws.AwsClients$Service");
      Map<Object, URI> endpoints = new HashMap<>();
      for (Object s : service.getEnumConstants()) {
        endpoints.put(s, endpoint);
      }
      Class<?> regionClass = loader.loadClass("software.amazon.awssdk.regions.Region");
      Object region = regionClass.getMethod("of", String.class).invoke(null, "us-east-1");
      Class<?> clientsClass = loader.loadClass("offhours.aws.AwsClients");
      Object clients =
          clientsClass.getMethod("local", regionClass, Map.class).invoke(null, region, endpoints);
      Class<?> handlerClass = loader.loadClass("offhours.api.ApiHandler");
      Constructor<?> constructor =
          handlerClass.getDeclaredConstructor(config.getClass(), clientsClass);
      constructor.setAccessible(true);
      Object handler = constructor.newInstance(config, clients);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      handlerClass
          .getMethod(
              "handleRequest",
              InputStream.class,
              OutputStream.class,
              loader.loadClass("com.amazonaws.services.lambda.runtime.Context"))
          .invoke(handler, new ByteArrayInputStream(event), out, null);
      ((AutoCloseable) clients).close();
      return out.toString(StandardCharsets.UTF_8);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }
}
