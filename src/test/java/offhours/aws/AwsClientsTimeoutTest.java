package offhours.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import offhours.aws.AwsClients.Service;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Small control calls are cut when they stall; an object's body and the model's answer may take their time. */
class AwsClientsTimeoutTest {

  @Test
  void controlCallsHaveAnAttemptAndACallTimeoutInsideTheControllersMinute() throws Exception {
    try (AwsClients clients = AwsClients.local(Region.EU_WEST_1, Map.of());
        SageMakerClient sageMaker = clients.build(Service.SAGEMAKER, SageMakerClient.builder());
        SqsClient sqs = clients.build(Service.SQS, SqsClient.builder());
        DynamoDbClient dynamo = clients.build(Service.DYNAMODB, DynamoDbClient.builder())) {
      for (ClientOverrideConfiguration c : new ClientOverrideConfiguration[] {
        sageMaker.serviceClientConfiguration().overrideConfiguration(),
        sqs.serviceClientConfiguration().overrideConfiguration(),
        dynamo.serviceClientConfiguration().overrideConfiguration()
      }) {
        assertThat(c.apiCallAttemptTimeout()).contains(AwsClients.ATTEMPT_TIMEOUT);
        assertThat(c.apiCallTimeout()).contains(AwsClients.CALL_TIMEOUT);
      }
      assertThat(AwsClients.CALL_TIMEOUT)
          .as(
              "a stalled call leaves the controller (StackSpec.CONTROLLER_TIMEOUT_SECONDS) time to answer")
          .isLessThan(
              java.time.Duration.ofSeconds(offhours.stack.StackSpec.CONTROLLER_TIMEOUT_SECONDS))
          .isGreaterThan(AwsClients.ATTEMPT_TIMEOUT);
      assertThat(AwsClients.ATTEMPT_TIMEOUT)
          .as("an SQS long poll (at most 20 s) is not cut")
          .isGreaterThan(java.time.Duration.ofSeconds(20));
    }
  }

  @Test
  void lambdasControlCallsAreCutAsTheOthersAreAndItsInvokeIsNot() throws Exception {
    try (AwsClients clients = AwsClients.local(Region.EU_WEST_1, Map.of());
        LambdaClient control =
            clients.buildForControlCalls(Service.LAMBDA, LambdaClient.builder());
        LambdaClient invoke = clients.build(Service.LAMBDA, LambdaClient.builder())) {
      ClientOverrideConfiguration c = control.serviceClientConfiguration().overrideConfiguration();
      assertThat(c.apiCallAttemptTimeout()).contains(AwsClients.ATTEMPT_TIMEOUT);
      assertThat(c.apiCallTimeout()).contains(AwsClients.CALL_TIMEOUT);
      ClientOverrideConfiguration i = invoke.serviceClientConfiguration().overrideConfiguration();
      assertThat(i.apiCallAttemptTimeout())
          .as("Invoke waits for the function (the command line's, up to the controller's 60 s)")
          .isEmpty();
      assertThat(i.apiCallTimeout()).isEmpty();
    }
  }

  /**
   * The functions' Lambda calls are all small (mappings, versions, aliases): none may stall past its function's
   * Timeout, as an unbounded client's would (70 s a socket timeout, each attempt); only the command line invokes.
   */
  @Test
  void theFunctionsBuildTheirLambdaClientsForControlCalls() throws IOException {
    List<String> unbounded;
    try (Stream<Path> files = Files.walk(Path.of("src/main/java/offhours"))) {
      unbounded = files
          .filter(f -> f.toString().endsWith(".java"))
          .filter(f -> !f.startsWith("src/main/java/offhours/cli")
              && !f.startsWith("src/main/java/offhours/local"))
          .filter(f -> UNBOUNDED_LAMBDA.matcher(read(f)).find())
          .map(Path::toString)
          .toList();
    }
    assertThat(unbounded)
        .as("functions' code building an unbounded Lambda client")
        .isEmpty();
  }

  /** {@code build(Service.LAMBDA, ...)}, however the formatter breaks it, with or without the enum's class. */
  private static final Pattern UNBOUNDED_LAMBDA =
      Pattern.compile("\\bbuild\\(\\s*(?:AwsClients\\.)?Service\\.LAMBDA\\b");

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aViewCutSoonerCutsItsBoundedCallsSoonerAndLeavesTheFactoryAndTheUnboundedAsTheyWere()
      throws Exception {
    java.time.Duration attempt = java.time.Duration.ofSeconds(2);
    java.time.Duration call = java.time.Duration.ofSeconds(5);
    try (AwsClients clients = AwsClients.local(Region.EU_WEST_1, Map.of());
        DynamoDbClient sooner =
            clients.cutSooner(attempt, call).build(Service.DYNAMODB, DynamoDbClient.builder());
        S3Client s3 = clients.cutSooner(attempt, call).build(Service.S3, S3Client.builder());
        LambdaClient invoke =
            clients.cutSooner(attempt, call).build(Service.LAMBDA, LambdaClient.builder());
        DynamoDbClient own = clients.build(Service.DYNAMODB, DynamoDbClient.builder())) {
      ClientOverrideConfiguration c = sooner.serviceClientConfiguration().overrideConfiguration();
      assertThat(c.apiCallAttemptTimeout()).contains(attempt);
      assertThat(c.apiCallTimeout()).contains(call);
      ClientOverrideConfiguration o = own.serviceClientConfiguration().overrideConfiguration();
      assertThat(o.apiCallAttemptTimeout()).contains(AwsClients.ATTEMPT_TIMEOUT);
      assertThat(o.apiCallTimeout()).contains(AwsClients.CALL_TIMEOUT);
      assertThat(s3.serviceClientConfiguration().overrideConfiguration().apiCallTimeout())
          .as("an upload's body takes as long as it takes")
          .isEmpty();
      assertThat(invoke.serviceClientConfiguration().overrideConfiguration().apiCallTimeout())
          .as("Invoke waits for the function")
          .isEmpty();
    }
  }

  @Test
  void aViewIsCutNoLaterThanTheFactorysCalls() {
    try (AwsClients clients = AwsClients.local(Region.EU_WEST_1, Map.of())) {
      assertThatThrownBy(() ->
              clients.cutSooner(java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(51)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "cuts of PT2S an attempt and PT51S a call: an attempt must be positive and at most"
                  + " the call, the call at most PT50S");
      assertThatThrownBy(() ->
              clients.cutSooner(java.time.Duration.ofSeconds(6), java.time.Duration.ofSeconds(5)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(
              () -> clients.cutSooner(java.time.Duration.ZERO, java.time.Duration.ofSeconds(5)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aStreamedReadIsCutAfterSomeSilenceNoLongerThanTheSocketsAndAsACallOfAView()
      throws Exception {
    java.time.Duration silence = java.time.Duration.ofSeconds(5);
    try (AwsClients clients = AwsClients.local(Region.EU_WEST_1, Map.of());
        S3Client s3 = clients
            .cutSooner(java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(5))
            .buildForStreamedReads(Service.S3, S3Client.builder(), silence)) {
      ClientOverrideConfiguration c = s3.serviceClientConfiguration().overrideConfiguration();
      assertThat(c.apiCallAttemptTimeout()).contains(java.time.Duration.ofSeconds(2));
      assertThat(c.apiCallTimeout()).contains(java.time.Duration.ofSeconds(5));
      assertThatThrownBy(() -> clients.buildForStreamedReads(
              Service.S3, S3Client.builder(), java.time.Duration.ofSeconds(71)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "a streamed read cut after PT1M11S of silence: it must be positive and at most"
                  + " the socket's PT1M10S");
      assertThatThrownBy(() -> clients.buildForStreamedReads(
              Service.S3, S3Client.builder(), java.time.Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void objectBodiesAndModelAnswersAreBoundOnlyByTheSocketTimeout() throws Exception {
    try (AwsClients clients = AwsClients.local(Region.EU_WEST_1, Map.of());
        S3Client s3 = clients.build(Service.S3, S3Client.builder());
        SageMakerRuntimeClient runtime =
            clients.build(Service.SAGEMAKER_RUNTIME, SageMakerRuntimeClient.builder())) {
      assertThat(s3.serviceClientConfiguration().overrideConfiguration().apiCallTimeout())
          .isEmpty();
      assertThat(
              runtime.serviceClientConfiguration().overrideConfiguration().apiCallAttemptTimeout())
          .isEmpty();
    }
  }

  @Test
  void readmeQuotesTheClientsTimeouts() throws java.io.IOException {
    String readme =
        java.nio.file.Files.readString(java.nio.file.Path.of("README.md")).replaceAll("\\s+", " ");
    long attempt = AwsClients.ATTEMPT_TIMEOUT.toSeconds();
    long call = AwsClients.CALL_TIMEOUT.toSeconds();
    List<String> quotes = List.of(
        "(" + attempt + " s an attempt, " + call + " s a call)",
        "the clients' own " + attempt + " s attempts and " + call + " s calls",
        "the SDK's " + call + " s call timeout");
    assertThat(quotes.stream().filter(quote -> !readme.contains(quote)).toList())
        .as(
            "what README.md should say, from AwsClients.ATTEMPT_TIMEOUT and CALL_TIMEOUT, and does not")
        .isEmpty();
  }
}
