package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.aws.UsageLedger;
import offhours.endpoint.sim.MemoryControlTable;
import offhours.inference.ModelContract;
import offhours.inference.Scores;
import offhours.testing.FakeDynamoDb;
import offhours.testing.StubHttpServer;
import offhours.testing.StubHttpServer.Reply;
import offhours.testing.StubHttpServer.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

/**
 * The SageMaker adapter against a loopback server that answers the SageMaker JSON 1.1 control plane and the runtime's
 * REST InvokeEndpoint the way the services do, so the SDK's real (un)marshalling is exercised.
 */
class SageMakerEndpointTest {
  private StubHttpServer server;
  private AwsClients clients;
  private SageMakerEndpoint endpoint;
  private volatile int status = 200;
  private volatile String answer = "{}";
  private volatile String errorType;
  private volatile String variant;
  /** What ListTags answers: by default this stack's tag. */
  private volatile String tagsAnswer =
      "{\"Tags\":[{\"Key\":\"offhours:stack-id\",\"Value\":\"" + STACK + "\"}]}";

  private volatile int tagsStatus = 200;
  static final String STACK =
      "arn:aws:cloudformation:eu-central-1:123456789012:stack/offhours/guid";
  /** The default model's settings: the built-in contract over its five labels. */
  private static final ModelContract FIVE_LABELS =
      ModelContract.builtIn(List.of("Drawing", "Hentai", "Neutral", "Porn", "Sexy"));

  @BeforeEach
  void start() throws IOException {
    server = StubHttpServer.start(this::answer);
    URI uri = server.uri();
    clients = AwsClients.local(
        Region.EU_CENTRAL_1, Map.of(Service.SAGEMAKER, uri, Service.SAGEMAKER_RUNTIME, uri));
    endpoint = adapter(clients);
  }

  private Reply answer(Request request) {
    boolean tags = "SageMaker.ListTags".equals(request.header("X-Amz-Target"));
    Reply reply = Reply.json(tags ? tagsStatus : status, tags ? tagsAnswer : answer);
    if (tags && tagsStatus != 200) {
      reply = reply.withHeader("x-amzn-ErrorType", "ValidationException");
    } else if (!tags && errorType != null) {
      reply = reply.withHeader("x-amzn-ErrorType", errorType);
    }
    return variant == null ? reply : reply.withHeader("x-Amzn-Invoked-Production-Variant", variant);
  }

  /** "METHOD /path target body", or for a runtime call "METHOD /path content-type N bytes". */
  private List<String> requests() {
    return server.requests().stream()
        .map(r -> {
          String target = r.header("X-Amz-Target");
          return r.method() + " " + r.path() + " "
              + (target != null
                  ? target + " " + new String(r.body(), StandardCharsets.ISO_8859_1)
                  : r.header("Content-Type") + " " + r.body().length + " bytes");
        })
        .toList();
  }

  @AfterEach
  void stop() {
    server.close();
    clients.close();
  }

  @Test
  void aMissingEndpointIsAbsent() {
    refuseWith("Could not find endpoint \\\"offhours-endpoint\\\".");
    assertThat(endpoint.describe()).isEqualTo(Endpoint.Status.ABSENT);
    assertThat(requests())
        .containsExactly(
            "POST / SageMaker.DescribeEndpoint {\"EndpointName\":\"offhours-endpoint\"}");
  }

  @Test
  void statusesMapToTheControllersStates() {
    answer =
        "{\"EndpointName\":\"offhours-endpoint\",\"EndpointStatus\":\"Failed\",\"FailureReason\":\"no capacity\","
            + "\"EndpointConfigName\":\"offhours-endpoint-config\",\"CreationTime\":1768381200,\"LastModifiedTime\":1768381800}";
    assertThat(endpoint.describe())
        .isEqualTo(Endpoint.Status.of(
                Endpoint.State.FAILED,
                "no capacity",
                Instant.parse("2026-01-14T09:00:00Z"),
                Instant.parse("2026-01-14T09:10:00Z"))
            .withConfig("offhours-endpoint-config", false));
    answer = "{\"EndpointStatus\":\"SystemUpdating\",\"CreationTime\":1768381200}";
    assertThat(endpoint.describe().state()).isEqualTo(Endpoint.State.UPDATING);
    answer = "{\"EndpointStatus\":\"InService\",\"CreationTime\":1768381200}";
    assertThat(endpoint.describe().state()).isEqualTo(Endpoint.State.IN_SERVICE);
  }

  @Test
  void anEndpointWhoseUpdateAndRollbackFailedServesAndIsDeletedWhenWantedOff() {
    answer = "{\"EndpointName\":\"offhours-endpoint\",\"EndpointArn\":"
        + "\"arn:aws:sagemaker:eu-central-1:123456789012:endpoint/offhours-endpoint\","
        + "\"EndpointStatus\":\"UpdateRollbackFailed\",\"FailureReason\":\"rollback failed\","
        + "\"EndpointConfigName\":\"offhours-endpoint-config\",\"CreationTime\":1768381200,"
        + "\"LastModifiedTime\":1768381800}";
    assertThat(endpoint.describe().state())
        .as("it serves, and nothing more happens to it by itself")
        .isEqualTo(Endpoint.State.IN_SERVICE);

    MemoryControlTable table = new MemoryControlTable();
    Mapping disabled = new DisabledMapping("nothing is fed outside working hours");
    EndpointController controller = new EndpointController(
        ControllerConfig.fromEnvironment(Rig.ENV),
        endpoint,
        disabled,
        () -> Backlog.Snapshot.EMPTY,
        table,
        table,
        line -> {});
    Decision saturday = controller.reconcile(Instant.parse("2026-01-17T09:00:00Z"));
    assertThat(saturday.action()).isEqualTo(Decision.Action.DELETE_ENDPOINT);
    assertThat(requests())
        .last()
        .isEqualTo("POST / SageMaker.DeleteEndpoint {\"EndpointName\":\"offhours-endpoint\"}");
  }

  @Test
  void createUsesTheStacksEndpointConfigAndDeleteToleratesAMissingEndpoint() {
    answer = "{\"EndpointArn\":\"arn:aws:sagemaker:eu-central-1:1:endpoint/offhours-endpoint\"}";
    assertThat(endpoint.create()).as("this run's start").isTrue();
    refuseWith("Could not find endpoint \\\"offhours-endpoint\\\".");
    endpoint.delete();
    assertThat(requests()).hasSize(2);
    assertThat(requests().get(0))
        .startsWith(
            "POST / SageMaker.CreateEndpoint {\"EndpointName\":\"offhours-endpoint\",\"EndpointConfigName\":\"offhours-endpoint-config\","
                + "\"Tags\":[{\"Key\":\"offhours:stack-id\",\"Value\":\"" + STACK + "\"},"
                + "{\"Key\":\"offhours:create-request\",\"Value\":\"")
        .matches(".*\"Value\":\"[0-9a-f-]{36}\"}]}");
    assertThat(requests().get(1))
        .isEqualTo("POST / SageMaker.DeleteEndpoint {\"EndpointName\":\"offhours-endpoint\"}");
  }

  /**
   * SageMaker as a CreateEndpoint meets it: the endpoint made by the call whose create-request tag is {@code madeBy}
   * (null: not yet, the next CreateEndpoint makes it and its first answer is lost, a 500 the SDK retries).
   */
  private Reply createdBy(Request r, java.util.concurrent.atomic.AtomicReference<String> madeBy) {
    String arn = "arn:aws:sagemaker:eu-central-1:1:endpoint/offhours-endpoint";
    return switch (r.header("X-Amz-Target")) {
      case "SageMaker.CreateEndpoint" -> {
        JsonNode tags = JsonNode.parser().parse(r.text()).asObject().get("Tags");
        String token = tags.asArray().stream()
            .filter(t -> t.asObject().get("Key").asString().equals("offhours:create-request"))
            .map(t -> t.asObject().get("Value").asString())
            .findFirst()
            .orElseThrow();
        yield madeBy.compareAndSet(null, token)
            ? Reply.json(500, "{\"__type\":\"InternalFailure\",\"message\":\"answer lost\"}")
                .withHeader("x-amzn-ErrorType", "InternalFailure")
            : Reply.json(
                    400,
                    "{\"__type\":\"ValidationException\",\"message\":\"Cannot create already"
                        + " existing endpoint \\\"" + arn + "\\\".\"}")
                .withHeader("x-amzn-ErrorType", "ValidationException");
      }
      case "SageMaker.DescribeEndpoint" ->
        Reply.json(200, "{\"EndpointArn\":\"" + arn + "\",\"EndpointStatus\":\"Creating\"}");
      case "SageMaker.ListTags" ->
        Reply.json(
            200,
            "{\"Tags\":[{\"Key\":\"offhours:stack-id\",\"Value\":\"" + STACK + "\"},"
                + "{\"Key\":\"offhours:create-request\",\"Value\":\"" + madeBy.get() + "\"}]}");
      default -> Reply.json(400, "{}");
    };
  }

  /** This test's endpoint on the control plane of {@code aws}, its runtime the class's stub. */
  private SageMakerEndpoint adapter(AwsClients aws) {
    return adapter(aws, FIVE_LABELS, null, UsageLedger.NONE);
  }

  /**
   * This stack's endpoint on the control plane of {@code aws}, its runtime the class's stub, for a model with
   * {@code contract} named {@code modelName} (null: any), its probes counted in {@code ledger}.
   */
  private SageMakerEndpoint adapter(
      AwsClients aws, ModelContract contract, String modelName, UsageLedger ledger) {
    return new SageMakerEndpoint(
        aws.build(Service.SAGEMAKER, SageMakerClient.builder()),
        clients.build(Service.SAGEMAKER_RUNTIME, SageMakerRuntimeClient.builder()),
        "offhours-endpoint",
        "offhours-endpoint-config",
        STACK,
        contract,
        modelName,
        ledger);
  }

  /** SageMaker's control plane refuses every call (but ListTags) as a ValidationException saying {@code message}. */
  private void refuseWith(String message) {
    status = 400;
    errorType = "ValidationException";
    answer = "{\"__type\":\"ValidationException\",\"message\":\"" + message + "\"}";
  }

  /** The runtime's answer while the endpoint is absent: ValidationError (400). */
  private void endpointNotFound() {
    status = 400;
    errorType = "ValidationError";
    answer = "{\"message\":\"Endpoint offhours-endpoint of account 1 not found.\"}";
  }

  @Test
  void anSdkRetryOfThisCallsOwnCreateIsThisRunsStartAnotherRunsCreateIsNot() {
    var madeBy = new java.util.concurrent.atomic.AtomicReference<String>();
    try (StubHttpServer sageMaker = StubHttpServer.start(r -> createdBy(r, madeBy));
        AwsClients aws =
            AwsClients.local(Region.EU_CENTRAL_1, Map.of(Service.SAGEMAKER, sageMaker.uri()))) {
      SageMakerEndpoint mine = adapter(aws);

      assertThat(mine.create())
          .as("the first attempt made it, the SDK's retry was told it exists: this run's start")
          .isTrue();
      assertThat(sageMaker.requests())
          .extracting(r -> r.header("X-Amz-Target"))
          .containsExactly(
              "SageMaker.CreateEndpoint",
              "SageMaker.CreateEndpoint",
              "SageMaker.DescribeEndpoint",
              "SageMaker.ListTags");
      assertThat(sageMaker.requests().get(1).text())
          .as("the retry is the same request, token included")
          .isEqualTo(sageMaker.requests().get(0).text());

      assertThat(mine.create())
          .as("a second call (an overlapping run) meets the endpoint the first made: not its start")
          .isFalse();
    }
  }

  @Test
  void anEndpointCreatedByAnOverlappingRunIsNoFailedCreateButOtherRefusalsAre() {
    var madeBy = new java.util.concurrent.atomic.AtomicReference<>("another run's request");
    try (StubHttpServer sageMaker = StubHttpServer.start(r -> createdBy(r, madeBy));
        AwsClients aws =
            AwsClients.local(Region.EU_CENTRAL_1, Map.of(Service.SAGEMAKER, sageMaker.uri()))) {
      assertThat(adapter(aws).create()).as("not this run's start").isFalse();
    }

    refuseWith("Could not find endpoint configuration \\\"offhours-endpoint-config\\\".");
    assertThatThrownBy(endpoint::create)
        .isInstanceOf(SageMakerException.class)
        .hasMessageContaining("Could not find endpoint configuration");
  }

  @Test
  void anEndpointWithoutThisStacksTagIsForeign() {
    answer =
        "{\"EndpointName\":\"offhours-endpoint\",\"EndpointArn\":\"arn:aws:sagemaker:eu-central-1:1:endpoint/"
            + "offhours-endpoint\",\"EndpointConfigName\":\"offhours-endpoint-config\",\"EndpointStatus\":\"InService\","
            + "\"CreationTime\":1768381200}";
    assertThat(endpoint.describe().foreign()).isFalse();
    assertThat(requests())
        .last()
        .asString()
        .isEqualTo("POST / SageMaker.ListTags {\"ResourceArn\":\"arn:aws:sagemaker:"
            + "eu-central-1:1:endpoint/offhours-endpoint\",\"MaxResults\":100}");

    tagsAnswer =
        "{\"Tags\":[{\"Key\":\"offhours:stack-id\",\"Value\":\"arn:aws:cloudformation:eu-central-1:"
            + "123456789012:stack/other/guid\"}]}";
    assertThat(endpoint.describe().foreign()).as("tagged by another stack").isTrue();
    tagsAnswer = "{\"Tags\":[]}";
    assertThat(endpoint.describe().foreign()).as("not tagged").isTrue();
  }

  @Test
  void anEndpointWhoseVariantReportsAServerlessConfigIsServerless() {
    String head =
        "{\"EndpointArn\":\"arn:aws:sagemaker:eu-central-1:1:endpoint/offhours-endpoint\","
            + "\"EndpointConfigName\":\"serverless-config\",\"EndpointStatus\":\"InService\","
            + "\"CreationTime\":1768381200,";
    answer = head + "\"ProductionVariants\":[{\"VariantName\":\"m\",\"CurrentServerlessConfig\":"
        + "{\"MemorySizeInMB\":2048,\"MaxConcurrency\":10}}]}";
    assertThat(endpoint.describe().serverless()).isTrue();
    answer = head + "\"PendingDeploymentSummary\":{\"EndpointConfigName\":\"serverless-config\","
        + "\"ProductionVariants\":[{\"VariantName\":\"m\",\"DesiredServerlessConfig\":"
        + "{\"MemorySizeInMB\":2048,\"MaxConcurrency\":10}}]}}";
    assertThat(endpoint.describe().serverless()).as("being deployed").isTrue();
    answer = head + "\"ProductionVariants\":[{\"VariantName\":\"m\",\"CurrentInstanceCount\":1}]}";
    assertThat(endpoint.describe().serverless()).as("on instances").isFalse();
  }

  /**
   * A serverless endpoint whose creation failed before its variant was deployed: DescribeEndpoint names no variant,
   * so only the tag the stack puts on ServerlessEndpoint says what it is, and another hosting's controller must leave
   * it to CloudFormation rather than delete it as its own endpoint on an old config.
   */
  @Test
  void aFailedEndpointWithoutVariantsIsServerlessByTheStacksHostingTagAlone() {
    answer = "{\"EndpointArn\":\"arn:aws:sagemaker:eu-central-1:1:endpoint/offhours-endpoint\","
        + "\"EndpointConfigName\":\"serverless-config\",\"EndpointStatus\":\"Failed\","
        + "\"FailureReason\":\"Ping failed\",\"CreationTime\":1768381200}";
    assertThat(endpoint.describe().serverless())
        .as("the stack's id alone: an endpoint this stack's controller made")
        .isFalse();

    tagsAnswer = "{\"Tags\":[{\"Key\":\"offhours:stack-id\",\"Value\":\"" + STACK
        + "\"},{\"Key\":\"offhours:hosting\",\"Value\":\"serverless\"}]}";
    Endpoint.Status failed = endpoint.describe();
    assertThat(failed.state()).isEqualTo(Endpoint.State.FAILED);
    assertThat(failed.foreign()).isFalse();
    assertThat(failed.serverless()).isTrue();

    tagsAnswer = "{\"Tags\":[{\"Key\":\"offhours:hosting\",\"Value\":\"serverless\"}]}";
    assertThat(endpoint.describe())
        .as("another stack's serverless endpoint is foreign, never this stack's to wait for")
        .satisfies(ep -> assertThat(ep.foreign()).isTrue())
        .satisfies(ep -> assertThat(ep.serverless()).isFalse());
  }

  /**
   * The same endpoint made by a template older than the hosting tag: only the tags CloudFormation itself puts on what
   * it creates say it is the stack's ServerlessEndpoint, which the controller must leave to CloudFormation.
   */
  @Test
  void aFailedEndpointWithoutVariantsOfAnOlderTemplateIsServerlessByCloudFormationsOwnTags() {
    answer = "{\"EndpointArn\":\"arn:aws:sagemaker:eu-central-1:1:endpoint/offhours-endpoint\","
        + "\"EndpointConfigName\":\"serverless-config\",\"EndpointStatus\":\"Failed\","
        + "\"FailureReason\":\"Ping failed\",\"CreationTime\":1768381200}";
    tagsAnswer = "{\"Tags\":[{\"Key\":\"offhours:stack-id\",\"Value\":\"" + STACK
        + "\"},{\"Key\":\"aws:cloudformation:stack-id\",\"Value\":\"" + STACK
        + "\"},{\"Key\":\"aws:cloudformation:stack-name\",\"Value\":\"offhours\"}"
        + ",{\"Key\":\"aws:cloudformation:logical-id\",\"Value\":\"ServerlessEndpoint\"}]}";
    Endpoint.Status failed = endpoint.describe();
    assertThat(failed.state()).isEqualTo(Endpoint.State.FAILED);
    assertThat(failed.foreign()).isFalse();
    assertThat(failed.serverless()).isTrue();

    tagsAnswer = "{\"Tags\":[{\"Key\":\"offhours:stack-id\",\"Value\":\"" + STACK
        + "\"},{\"Key\":\"aws:cloudformation:stack-id\",\"Value\":\"arn:aws:cloudformation:"
        + "eu-central-1:1:stack/other/1\"},{\"Key\":\"aws:cloudformation:logical-id\","
        + "\"Value\":\"ServerlessEndpoint\"}]}";
    assertThat(endpoint.describe().serverless())
        .as("made by another stack's CloudFormation")
        .isFalse();

    tagsAnswer = "{\"Tags\":[{\"Key\":\"offhours:stack-id\",\"Value\":\"" + STACK
        + "\"},{\"Key\":\"aws:cloudformation:stack-id\",\"Value\":\"" + STACK
        + "\"},{\"Key\":\"aws:cloudformation:logical-id\",\"Value\":\"SomethingElse\"}]}";
    assertThat(endpoint.describe().serverless())
        .as("another resource of this stack's template")
        .isFalse();
  }

  @Test
  void anEndpointDeletedBetweenDescribeAndListTagsIsAbsent() {
    answer = "{\"EndpointArn\":\"arn:aws:sagemaker:eu-central-1:1:endpoint/offhours-endpoint\","
        + "\"EndpointStatus\":\"Deleting\",\"CreationTime\":1768381200}";
    tagsStatus = 400;
    tagsAnswer = "{\"__type\":\"ValidationException\",\"message\":\"Resource does not exist.\"}";
    assertThat(endpoint.describe()).isEqualTo(Endpoint.Status.ABSENT);
  }

  /**
   * Classify reads no answer of another model than its MODEL_NAME (a stack update replaced the model), so the probe
   * fails for one too: the trigger is never enabled for answers that would all be deferred.
   */
  @Test
  void theProbeFailsWhenAnotherModelThanTheSettingsDescribeAnswers() {
    answer = "[0.1, 0.7, 0.05, 0.1, 0.05]";
    SageMakerEndpoint forModel =
        adapter(clients, FIVE_LABELS, "offhours-model-new", UsageLedger.NONE);

    variant = "offhours-model-old";
    assertThat(forModel.probe())
        .isEqualTo(new Endpoint.Probe(
            false,
            "the endpoint answered from model offhours-model-old, but this function's settings are"
                + " for model offhours-model-new (a stack update is replacing one with the other);"
                + " Classify would not read its answers"));
    variant = "OFFHOURS-MODEL-NEW";
    assertThat(forModel.probe().ok()).as("its own model, whatever the case").isTrue();
  }

  @Test
  void theProbeSendsTheBuiltInImageAsClassifyWouldAndReadsTheAnswerAsClassifyWould() {
    answer = "[0.1, 0.7, 0.05, 0.1, 0.05]";
    variant = "offhours-model-7";

    Endpoint.Probe ok = endpoint.probe();

    assertThat(ok)
        .isEqualTo(new Endpoint.Probe(
            true,
            "5 classes as probabilities from an array of scores; top Hentai"
                + " 0.700; answered by variant offhours-model-7"));
    assertThat(requests())
        .singleElement()
        .asString()
        .isEqualTo("POST /endpoints/offhours-endpoint/invocations application/x-image "
            + TestInvocation.probeImage().length + " bytes");
  }

  @Test
  void anAnswerThatDoesNotFitTheLabelsKeepsTheTriggerOff() {
    answer = "[0.5, 0.5]";
    assertThat(endpoint.probe())
        .isEqualTo(new Endpoint.Probe(
            false,
            "the answer does not fit the model's settings:"
                + " the endpoint returned 2 scores but 5 labels are configured (LABELS)"));

    answer = "{\"predictions\":[]}";
    assertThat(endpoint.probe().detail())
        .isEqualTo("the answer does not fit the model's settings: the endpoint"
            + " answered an empty list of scores: {\"predictions\":[]}");

    answer = "[0.1, 0.7, 0.05, 0.1, 1e400]";
    assertThat(endpoint.probe().detail())
        .isEqualTo("the answer does not fit the model's settings: the score at"
            + " index 4 is not a finite number: [0.1, 0.7, 0.05, 0.1, 1e400]");
  }

  @Test
  void probabilitiesOutOfRangeFailTheProbeWhenTheSettingSaysProbabilities() {
    SageMakerEndpoint strict = adapter(
        clients,
        new ModelContract(List.of("a", "b"), null, null, null, Scores.PROBABILITIES, null),
        null,
        UsageLedger.NONE);
    answer = "[2.5, -1.0]";

    assertThat(strict.probe().detail())
        .startsWith("the answer does not fit the model's settings: the score 2.5 of 'a'"
            + " is outside [0, 1]");
  }

  @Test
  void aModelThatRefusesTheContentTypeFailsTheProbeSayingWhatToSet() {
    status = 424;
    errorType = "ModelError";
    answer = "{\"Message\":\"Received client error (415)\",\"OriginalStatusCode\":415,"
        + "\"OriginalMessage\":\"Content type application/x-image is not supported\"}";

    Endpoint.Probe probe = endpoint.probe();

    assertThat(probe.ok()).isFalse();
    assertThat(probe.detail())
        .isEqualTo("the model refused the request's Content-Type (status 415): Content type"
            + " application/x-image is not supported; set the content type (auto sends image/jpeg or image/png) and accept"
            + " settings to what the container takes");
  }

  @Test
  void aProbeOfAnEndpointThatDoesNotAnswerFailsWithoutThrowing() {
    endpointNotFound();
    Endpoint.Probe probe = endpoint.probe();
    assertThat(probe.ok()).isFalse();
    assertThat(probe.detail())
        .as("the controller's reason, shown by endpoint status and the page: offhours' words")
        .isEqualTo("the endpoint is off: it does not exist now");
    assertThat(probe.sageMakerSaid())
        .as("for the controller's log: SageMaker's own error, account and all")
        .isEqualTo(
            "ValidationError (HTTP 400): Endpoint offhours-endpoint of account 1 not found.");
  }

  /**
   * An InService endpoint whose probe keeps failing with a 5xx: users read offhours' words, the controller's log line
   * gets the one clue AWS gave, its error code and message.
   */
  @Test
  void aProbeSageMakerFailsKeepsSageMakersOwnErrorApartFromItsReason() {
    status = 500;
    errorType = "InternalFailure";
    answer = "{\"message\":\"An exception occurred from internal dependency of account"
        + " 123456789012. Please contact customer support.\"}";

    Endpoint.Probe probe = endpoint.probe();

    assertThat(probe.ok()).isFalse();
    assertThat(probe.cut()).isFalse();
    assertThat(probe.detail())
        .isEqualTo("SageMaker could not serve the request now (HTTP 500)")
        .doesNotContain("123456789012", "InternalFailure");
    assertThat(probe.sageMakerSaid())
        .isEqualTo("InternalFailure (HTTP 500): An exception occurred from internal dependency of"
            + " account 123456789012. Please contact customer support.");
  }

  /**
   * The controller's role may not invoke the endpoint: the outcome that endpoint status and the page show says what to
   * check, without SageMaker's message, which names the role and the account; the log keeps that message.
   */
  @Test
  void aProbeRefusedAccessSaysWhatToCheckWithoutTheRoleOrTheAccount() {
    status = 400;
    errorType = "AccessDeniedException";
    String said =
        "User: arn:aws:sts::123456789012:assumed-role/offhours-ControllerRole/offhours-Controller"
            + " is not authorized to perform: sagemaker:InvokeEndpoint on resource: arn:aws:sagemaker:"
            + "us-east-1:123456789012:endpoint/offhours-endpoint because no identity-based policy allows"
            + " the sagemaker:InvokeEndpoint action";
    answer = "{\"message\":\"" + said + "\"}";

    Endpoint.Probe probe = endpoint.probe();

    assertThat(probe.ok()).isFalse();
    assertThat(probe.detail())
        .doesNotContainPattern("\\d{12}")
        .doesNotContain("arn:")
        .startsWith("the function's role may not call sagemaker:InvokeEndpoint on this endpoint"
            + " (AccessDeniedException, HTTP 400): check that the role's policy allows it");
    assertThat(probe.sageMakerSaid())
        .startsWith("AccessDeniedException (HTTP 400")
        .endsWith(said);
  }

  /**
   * Hosting serverless: SageMaker bills the readiness probe's invocation like Classify's, so it goes to the day's
   * ledger item once, its image and answer as data, and an endpoint that turned it away (an absent endpoint) adds
   * nothing.
   */
  @Test
  void aServerlessProbeGoesToTheLedgerLikeClassifysCallsAndAnUnansweredOneAddsNothing() {
    FakeDynamoDb dynamo = new FakeDynamoDb();
    List<String> lost = new java.util.ArrayList<>();
    SageMakerEndpoint metered = adapter(
        clients,
        FIVE_LABELS,
        null,
        new UsageLedger(
            dynamo,
            UsageLedger.Settings.fromEnv(
                Map.of(
                    "HOSTING", "serverless",
                    "CONTROL_TABLE_NAME", "offhours-control",
                    "TIME_ZONE", "Europe/Berlin",
                    "SERVERLESS_MEMORY_MB", "2048"),
                Map.of()),
            Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC),
            (n, millis, e) -> lost.add(e.toString())));
    answer = "[0.1, 0.7, 0.05, 0.1, 0.05]";

    assertThat(metered.probe().ok()).isTrue();

    assertThat(lost).isEmpty();
    assertThat(dynamo.updates).singleElement().satisfies(u -> {
      assertThat(u.tableName()).isEqualTo("offhours-control");
      assertThat(u.key().get("sk")).isEqualTo(AttributeValue.fromS("2026-12-03"));
      Map<String, AttributeValue> added = u.expressionAttributeValues();
      assertThat(added.get(":invocations")).isEqualTo(AttributeValue.fromN("1"));
      assertThat(added.get(":invocationBytes"))
          .as("the probe image sent and the answer received")
          .isEqualTo(AttributeValue.fromN(
              Integer.toString(TestInvocation.probeImage().length + answer.length())));
      long millis = Long.parseLong(added.get(":invocationMillis").n());
      assertThat(millis).isPositive();
      assertThat(added.get(":invocationMbMillis"))
          .isEqualTo(AttributeValue.fromN(Long.toString(millis * 2048)));
    });

    endpointNotFound();
    assertThat(metered.probe().ok()).isFalse();
    assertThat(dynamo.updates).as("no model ran: nothing billed, nothing added").hasSize(1);
  }

  @Test
  void theBuiltInImageIsASmallPng() {
    byte[] png = TestInvocation.probeImage();
    assertThat(png.length).isBetween(100, 64 * 1024);
    assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
  }
}
