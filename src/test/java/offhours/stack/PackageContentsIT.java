package offhours.stack;

// Needs: target/classify.zip and target/controller.zip, built by `mvn package` (failsafe runs this after it).

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageContentsIT {

  private static final Path TARGET = Path.of(System.getProperty("offhours.packageDirectory", "target"));
  private static final long CLASSIFY_MAX_BYTES = Long.getLong("offhours.classifyZipMaxBytes", 12_000_000L);

  private static LambdaPackage classify;
  private static LambdaPackage controller;

  @BeforeAll
  static void readPackages() throws Exception {
    classify = LambdaPackage.read(TARGET.resolve("classify.zip"));
    controller = LambdaPackage.read(TARGET.resolve("controller.zip"));
  }

  @Test
  void classifyZipIsAtMostTwelveMegabytes() throws Exception {
    assertThat(classify.size()).as("size of %s in bytes", classify.zip).isLessThanOrEqualTo(CLASSIFY_MAX_BYTES);
  }

  @Test
  void classifyZipCarriesNeitherTheSageMakerControlPlaneNorLocalMode() {
    for (String forbidden : List.of("software/amazon/awssdk/services/sagemaker/",
        "software/amazon/awssdk/services/lambda/", "software/amazon/awssdk/services/cloudformation/",
        "ai/onnxruntime/", "offhours/local/", "offhours/cli/", "offhours/endpoint/", "offhours/testing/",
        "org/apache/http/", "software/amazon/awssdk/http/apache/", "io/netty/",
        "software/amazon/awssdk/http/nio/netty/")) {
      assertThat(classify.classesUnder(forbidden)).as("classes under %s in classify.zip", forbidden).isEmpty();
    }
    // The runtime's own SageMaker client is the one Classify uses.
    assertThat(classify.classesUnder("software/amazon/awssdk/services/sagemakerruntime/")).isNotEmpty();
  }

  @Test
  void controllerZipCarriesNeitherOnnxRuntimeNorLocalModeNorTheSimulation() {
    for (String forbidden : List.of("ai/onnxruntime/", "offhours/local/", "offhours/cli/", "offhours/classify/", "offhours/endpoint/sim/",
        "offhours/testing/", "org/apache/http/", "io/netty/", "software/amazon/awssdk/services/s3/",
        "software/amazon/awssdk/services/cloudformation/")) {
      assertThat(controller.classesUnder(forbidden)).as("classes under %s in controller.zip", forbidden).isEmpty();
    }
  }

  @Test
  void packagesUseLambdasLayoutClassesAtTheRootJarsUnderLib() {
    for (LambdaPackage p : List.of(classify, controller)) {
      assertThat(p.entries.keySet()).as("entries of %s", p.zip)
          .allSatisfy(name -> assertThat(name.endsWith(".class") || (name.startsWith("lib/") && name.endsWith(".jar"))
              || name.startsWith("META-INF/") || name.startsWith("offhours/")).as(name).isTrue());
      assertThat(p.entries.keySet()).as("own classes of %s", p.zip).contains("offhours/aws/AwsClients.class");
    }
    assertThat(controller.entries).containsKey("offhours/stack/StackSpec.class");
  }

  @Test
  void everyOwnClassFindsWhatItReferencesInsideItsPackage() {
    assertThat(classify.unresolvedReferences()).as("classes referenced by offhours code but missing from classify.zip")
        .isEmpty();
    assertThat(controller.unresolvedReferences())
        .as("classes referenced by offhours code but missing from controller.zip").isEmpty();
  }

  @Test
  void classifyZipBuildsEverySdkClientItNeedsOnItsOwn(@TempDir Path dir) throws Exception {
    try (URLClassLoader loader = classify.isolatedClassLoader(dir)) {
      for (String client : List.of("software.amazon.awssdk.services.s3.S3Client",
          "software.amazon.awssdk.services.sqs.SqsClient", "software.amazon.awssdk.services.dynamodb.DynamoDbClient",
          "software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient")) {
        assertThat(buildAndClose(loader, client)).as(client).endsWith("Client");
      }
      assertThat(loader.loadClass("com.amazonaws.services.lambda.runtime.events.SQSBatchResponse")).isNotNull();
    }
  }

  @Test
  void theRuntimesSerializerReadsAnSqsEventWithTheEventClassesKeptInClassifyZip(@TempDir Path dir) throws Exception {
    try (URLClassLoader loader = classify.isolatedClassLoader(dir)) {
      Class<?> sqsEvent = loader.loadClass("com.amazonaws.services.lambda.runtime.events.SQSEvent");
      assertThat(sqsEvent.getClassLoader()).isSameAs(loader);

      Object event = LambdaEventSerializers.serializerFor(sqsEvent, loader).fromJson("""
          {"Records": [{"messageId": "m-1", "receiptHandle": "r-1", "body": "{}", "attributes": {"ApproximateReceiveCount": "1"},
            "messageAttributes": {}, "md5OfBody": "99914b932bd37a50b76c5d8a4c5cb5a5", "eventSource": "aws:sqs",
            "eventSourceARN": "arn:aws:sqs:eu-central-1:123456789012:offhours-queue", "awsRegion": "eu-central-1"}]}
          """);

      List<?> records = (List<?>) sqsEvent.getMethod("getRecords").invoke(event);
      assertThat(records).singleElement()
          .satisfies(r -> assertThat(r.getClass().getMethod("getMessageId").invoke(r)).isEqualTo("m-1"));
    }
  }

  @Test
  void theRuntimesSerializerWritesAPartialBatchResponseWithTheClassesKeptInClassifyZip(@TempDir Path dir)
      throws Exception {
    try (URLClassLoader loader = classify.isolatedClassLoader(dir)) {
      String events = "com.amazonaws.services.lambda.runtime.events.";
      Class<?> failureType = loader.loadClass(events + "SQSBatchResponse$BatchItemFailure");
      Object failureBuilder = failureType.getMethod("builder").invoke(null);
      failureBuilder.getClass().getMethod("withItemIdentifier", String.class).invoke(failureBuilder, "m-1");
      Object failure = failureBuilder.getClass().getMethod("build").invoke(failureBuilder);
      Class<?> responseType = loader.loadClass(events + "SQSBatchResponse");
      Object responseBuilder = responseType.getMethod("builder").invoke(null);
      responseBuilder.getClass().getMethod("withBatchItemFailures", List.class).invoke(responseBuilder, List.of(failure));
      Object response = responseBuilder.getClass().getMethod("build").invoke(responseBuilder);

      @SuppressWarnings("unchecked")
      var serializer = (com.amazonaws.services.lambda.runtime.serialization.PojoSerializer<Object>)
          LambdaEventSerializers.serializerFor((Class<Object>) responseType, loader);
      var out = new java.io.ByteArrayOutputStream();
      serializer.toJson(response, out);

      assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo("{\"batchItemFailures\":[{\"itemIdentifier\":\"m-1\"}]}");
    }
  }

  @Test
  void controllerZipBuildsEverySdkClientItNeedsOnItsOwn(@TempDir Path dir) throws Exception {
    try (URLClassLoader loader = controller.isolatedClassLoader(dir)) {
      for (String client : List.of("software.amazon.awssdk.services.sagemaker.SageMakerClient",
          "software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient",
          "software.amazon.awssdk.services.lambda.LambdaClient", "software.amazon.awssdk.services.sqs.SqsClient",
          "software.amazon.awssdk.services.dynamodb.DynamoDbClient")) {
        assertThat(buildAndClose(loader, client)).as(client).endsWith("Client");
      }
    }
  }

  /**
   * Builds {@code clientClass} with a region and anonymous credentials, using only classes from {@code loader};
   * the HTTP client is whatever the package provides (found by the SDK's service loader). Returns the class
   * name of the built client.
   */
  private static String buildAndClose(ClassLoader loader, String clientClass) throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      Object builder = Class.forName(clientClass, true, loader).getMethod("builder").invoke(null);
      Class<?> region = loader.loadClass("software.amazon.awssdk.regions.Region");
      Class<?> awsBuilder = loader.loadClass("software.amazon.awssdk.awscore.client.builder.AwsClientBuilder");
      awsBuilder.getMethod("region", region).invoke(builder, region.getMethod("of", String.class).invoke(null, "eu-central-1"));
      Class<?> provider = loader.loadClass("software.amazon.awssdk.auth.credentials.AwsCredentialsProvider");
      Object anonymous = loader.loadClass("software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider")
          .getMethod("create").invoke(null);
      awsBuilder.getMethod("credentialsProvider", provider).invoke(builder, anonymous);
      Method build = loader.loadClass("software.amazon.awssdk.utils.builder.SdkBuilder").getMethod("build");
      Object client = build.invoke(builder);
      try (AutoCloseable closeable = (AutoCloseable) client) {
        return client.getClass().getName();
      }
    } finally {
      thread.setContextClassLoader(previous);
    }
  }
}
