package offhours.classify;

// Needs: moto_server and python3: every endpoint is served by its own process of
// src/test/resources/sagemaker/shapes_container.py, through the local SageMaker.

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.endpoint.Endpoint;
import offhours.endpoint.SageMakerEndpoint;
import offhours.inference.ModelContract;
import offhours.local.sagemaker.LocalSageMaker;
import offhours.results.ResultItem;
import offhours.results.ResultItem.Verdict;
import offhours.testing.AwsServicesExtension;
import offhours.testing.AwsServicesExtension.AwsServices;
import offhours.testing.LambdaSqsJson;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * The Classify handler against real model containers over the wire: S3, SQS and DynamoDB on moto_server, InvokeEndpoint
 * through the local SageMaker to a container process per endpoint that answers in one of the response shapes real
 * image-classification containers use. Each shape's answer makes a different class the most probable.
 */
@ExtendWith(AwsServicesExtension.class)
class ModelShapesIT {

  static final Path CONTAINER =
      Path.of("src/test/resources/sagemaker/shapes_container.py").toAbsolutePath();
  static final Path PNG = Path.of("src/test/resources/images/chelsea.png");
  static final Path JPEG = Path.of("src/test/resources/images/rocket.jpg");
  static final byte[] CRASH = "offhours-test:crash".getBytes(StandardCharsets.US_ASCII);

  @TempDir
  static Path logs;

  static LocalSageMaker sageMaker;
  static AwsClients clients;
  static SageMakerClient control;
  static SageMakerRuntimeClient runtime;

  final MotoPipeline p;

  ModelShapesIT(AwsServices services) {
    p = new MotoPipeline(services);
  }

  @BeforeAll
  static void startSageMaker() {
    sageMaker = LocalSageMaker.builder()
        .creatingDelay(Duration.ZERO)
        .deletingDelay(Duration.ZERO)
        .pingTimeout(Duration.ofSeconds(30))
        .logDirectory(logs)
        // The local SageMaker's own command launcher: it hands the port and starts the
        // command again on another should a process take it first (not a probed port
        // handed on once).
        .containerCommand("exec python3 '" + CONTAINER + "'")
        .start();
    clients = AwsClients.local(
        Region.US_EAST_1,
        sageMaker.credentials(),
        Map.of(
            Service.SAGEMAKER,
            sageMaker.endpoint(),
            Service.SAGEMAKER_RUNTIME,
            sageMaker.endpoint()));
    control = clients.build(Service.SAGEMAKER, SageMakerClient.builder());
    runtime = clients.build(Service.SAGEMAKER_RUNTIME, SageMakerRuntimeClient.builder());
  }

  @AfterAll
  static void stopSageMaker() {
    runtime.close();
    control.close();
    clients.close();
    sageMaker.close();
  }

  /**
   * Endpoint {@code name}, its model {@code name-model} with {@code environment} and a config whose variant is named
   * after the model (as template.yaml does); returns once it is InService.
   */
  static String endpoint(String name, Map<String, String> environment) throws InterruptedException {
    control.createModel(r -> r.modelName(name + "-model")
        .executionRoleArn("arn:aws:iam::123456789012:role/offhours")
        .primaryContainer(c -> c.image(LocalSageMaker.COMMAND_IMAGE).environment(environment)));
    control.createEndpointConfig(r -> r.endpointConfigName(name + "-config")
        .productionVariants(v -> v.variantName(name + "-model")
            .modelName(name + "-model")
            .instanceType("ml.m5.large")
            .initialInstanceCount(1)));
    control.createEndpoint(r -> r.endpointName(name).endpointConfigName(name + "-config"));
    Awaitility.await("endpoint " + name + " InService")
        .atMost(Duration.ofSeconds(60))
        .until(() -> control.describeEndpoint(r -> r.endpointName(name)).endpointStatus()
            == EndpointStatus.IN_SERVICE);
    return name;
  }

  /** Classify with {@code settings}, its MODEL_NAME the model {@link #endpoint} runs, as the stack sets it. */
  ClassifyHandler handler(String endpoint, String... settings) {
    Map<String, String> env = p.classifyEnv(endpoint, settings);
    env.put("MODEL_NAME", endpoint + "-model");
    return new ClassifyHandler(
        p.s3, p.sqs, p.dynamo, runtime, ClassifyConfig.fromEnv(env), Clock.systemUTC());
  }

  /** Lambda's part for everything uploaded so far: one batch, then delete what the handler acknowledged. */
  SQSBatchResponse consume(ClassifyHandler handler) {
    List<Message> uploads = p.receiveUploads();
    assertThat(uploads).isNotEmpty();
    SQSBatchResponse response = LambdaSqsJson.invoke(handler, p.event(uploads));
    p.acknowledge(uploads, response);
    return response;
  }

  ResultItem result(String key) {
    List<ResultItem> results = p.results().byKey(p.bucket, key);
    assertThat(results).as("results of " + key).hasSize(1);
    return results.getFirst();
  }

  static byte[] withTail(Path image, byte[] tail) throws IOException {
    byte[] bytes = Files.readAllBytes(image);
    byte[] out = java.util.Arrays.copyOf(bytes, bytes.length + tail.length);
    System.arraycopy(tail, 0, out, bytes.length, tail.length);
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      bare              | cat,dog,bird | -                       | dog  | probabilities
      nested-logits     | cat,dog,bird | -                       | cat  | logits
      prediction        | cat,dog,bird | -                       | bird | probabilities
      predictions-rows  | cat,dog,bird | -                       | cat  | probabilities
      predictions-flat  | cat,dog,bird | -                       | dog  | probabilities
      jumpstart         | cat,dog,bird | -                       | bird | probabilities
      jumpstart-verbose | -            | application/json;verbose | dog  | probabilities
      kserve            | cat,dog,bird | -                       | cat  | probabilities
      huggingface       | -            | -                       | bird | probabilities
      torchserve        | -            | -                       | dog  | probabilities
      torchserve-old    | -            | -                       | cat  | probabilities
      triton            | -            | -                       | bird | probabilities
      """)
  void eachResponseShapeGivesTheRightTopLabelOverTheWire(
      String shape, String labels, String accept, String top, String scores) throws Exception {
    String endpoint = endpoint(shape, Map.of("SHAPE", shape));
    p.upload("photos/" + shape + ".png", PNG);

    SQSBatchResponse response = consume(handler(
        endpoint,
        "LABELS",
        labels == null ? "" : labels,
        "ACCEPT",
        accept == null ? "application/json" : accept));

    assertThat(response.getBatchItemFailures()).isEmpty();
    assertThat(result("photos/" + shape + ".png")).satisfies(r -> {
      assertThat(r.status()).isEqualTo(Verdict.CLASSIFIED);
      assertThat(r.topLabel()).isEqualTo(top);
      assertThat(r.scores()).isEqualTo(scores);
      assertThat(r.model())
          .as("the variant that answered, named after its model")
          .isEqualTo(shape + "-model");
    });
  }

  @Test
  void aHuggingFaceContainerThatRefusesXImageIsServedWithContentTypeAutoAndItsOwnLabels()
      throws Exception {
    String endpoint = endpoint("hf-auto", Map.of("SHAPE", "huggingface", "REFUSE_X_IMAGE", "1"));
    p.upload("photos/cat.png", PNG);
    p.upload("photos/rocket.jpg", JPEG);

    SQSBatchResponse response = consume(handler(endpoint, "CONTENT_TYPE", "auto"));

    assertThat(response.getBatchItemFailures()).isEmpty();
    assertThat(List.of(result("photos/cat.png"), result("photos/rocket.jpg")))
        .allSatisfy(r -> assertThat(r.topLabel()).isEqualTo("bird"));
  }

  @Test
  void withApplicationXImageTheSameContainerKeepsTheTriggerOffAndNoUploadIsBlamed()
      throws Exception {
    String endpoint = endpoint("hf-x-image", Map.of("SHAPE", "huggingface", "REFUSE_X_IMAGE", "1"));
    ModelContract xImage = ModelContract.fromEnv(Map.of());
    Endpoint.Probe probe = new SageMakerEndpoint(
            control, runtime, endpoint, endpoint + "-config", "offhours-test-stack", xImage)
        .probe();
    p.upload("photos/cat.png", PNG);

    SQSBatchResponse response = consume(handler(endpoint));

    assertThat(probe.ok()).isFalse();
    assertThat(probe.detail())
        .startsWith(
            "the model refused the request's Content-Type (status 400): {\"code\": 400, \"type\":"
                + " \"InternalServerException\", \"message\": \"Content type application/x-image is not"
                + " supported by this framework.\\n\\n")
        .contains("serialize the response.\"}; set the content type");
    assertThat(response.getBatchItemFailures())
        .as("retried as the deployment's fault")
        .hasSize(1);
    assertThat(p.results().byKey(p.bucket, "photos/cat.png"))
        .as("no verdict on the image")
        .isEmpty();
    ModelContract auto = ModelContract.fromEnv(Map.of("CONTENT_TYPE", "auto"));
    assertThat(new SageMakerEndpoint(
                control, runtime, endpoint, endpoint + "-config", "offhours-test-stack", auto)
            .probe()
            .detail())
        .isEqualTo(
            "2 classes as probabilities from [{\"label\", \"score\"}, ...] (Hugging Face); top bird 0.660;"
                + " answered by variant hf-x-image-model");
  }

  @Test
  void theReadinessProbeChecksTheAnswerAgainstTheConfiguredLabels() throws Exception {
    String endpoint = endpoint("labelled", Map.of("SHAPE", "bare"));
    ModelContract wrong = ModelContract.fromEnv(Map.of("LABELS", "cat,dog"));
    ModelContract right = ModelContract.fromEnv(Map.of("LABELS", "cat,dog,bird"));

    assertThat(new SageMakerEndpoint(
                control, runtime, endpoint, endpoint + "-config", "offhours-test-stack", wrong)
            .probe())
        .isEqualTo(new Endpoint.Probe(
            false,
            "the answer does not fit the model's settings: the endpoint returned 3"
                + " scores but 2 labels are configured (LABELS)"));
    assertThat(new SageMakerEndpoint(
                control, runtime, endpoint, endpoint + "-config", "offhours-test-stack", right)
            .probe()
            .ok())
        .isTrue();
  }

  @Test
  void aModelCrashingOnTwoImagesOfOneBatchDefersBothWithoutSpendingAReceive() throws Exception {
    String endpoint = endpoint("crashing", Map.of("SHAPE", "bare"));
    p.upload("photos/a.png", withTail(PNG, CRASH));
    p.upload("photos/b.jpg", withTail(JPEG, CRASH));

    SQSBatchResponse response =
        consume(handler(endpoint, "LABELS", "cat,dog,bird", "BATCH_CONCURRENCY", "1"));

    assertThat(response.getBatchItemFailures()).isEmpty();
    assertThat(p.results().scan(java.util.Optional.empty())).isEmpty();
    List<Message> copies = p.receiveAll(p.queueUrl);
    assertThat(copies).hasSize(2).allSatisfy(copy -> {
      assertThat(copy.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
          .isEqualTo("1");
      assertThat(copy.messageAttributes().get("offhours-deferrals").stringValue())
          .isEqualTo("1");
      assertThat(copy.messageAttributes().get("offhours-deferral-reason").stringValue())
          .isEqualTo(
              "the model failed on other images of this batch too (status 500): worker died; the endpoint is"
                  + " at fault, not this image");
    });
    assertThat(p.receiveAll(p.dlqUrl)).isEmpty();
  }

  @Test
  void aModelCrashingOnOneImageRetriesOnlyThatImageAndClassifiesTheRest() throws Exception {
    String endpoint = endpoint("one-crash", Map.of("SHAPE", "bare"));
    p.upload("photos/poison.png", withTail(PNG, CRASH));
    p.upload("photos/fine.jpg", JPEG);

    SQSBatchResponse response =
        consume(handler(endpoint, "LABELS", "cat,dog,bird", "BATCH_CONCURRENCY", "1"));

    assertThat(response.getBatchItemFailures()).hasSize(1);
    assertThat(result("photos/fine.jpg").topLabel()).isEqualTo("dog");
    assertThat(p.results().byKey(p.bucket, "photos/poison.png")).isEmpty();
  }
}
