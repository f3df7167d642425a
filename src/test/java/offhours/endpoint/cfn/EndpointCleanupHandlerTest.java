package offhours.endpoint.cfn;

import static offhours.testing.EventFixtures.fixture;
import static offhours.testing.LambdaContexts.remaining;
import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import offhours.aws.AwsClients;
import offhours.endpoint.ControlState;
import offhours.endpoint.ControlStore;
import offhours.endpoint.Decision;
import offhours.endpoint.Endpoint;
import offhours.endpoint.Ledger;
import offhours.endpoint.Mapping;
import offhours.endpoint.MemoryQueue;
import offhours.endpoint.PausedTime;
import offhours.endpoint.Rig;
import offhours.testing.AwsAnswers;
import offhours.testing.LambdaContexts;
import offhours.testing.StubHttpServer;
import offhours.testing.StubHttpServer.Reply;
import offhours.testing.StubHttpServer.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * The stack-delete custom resource, driven by the AWS-shaped events in events/; the response goes over real HTTP to a
 * loopback server standing in for the pre-signed S3 URL. Its waits move a fake clock: nothing sleeps.
 */
class EndpointCleanupHandlerTest {
  static final String STACK_ID =
      "arn:aws:cloudformation:eu-central-1:123456789012:stack/offhours/guid";
  static final String QUEUE_URL =
      "https://sqs.eu-central-1.amazonaws.com/123456789012/offhours-images";
  static final CleanupConfig CONFIG = new CleanupConfig(
      STACK_ID, "offhours-endpoint", "uuid-1", "offhours-control", QUEUE_URL, null);
  static final Map<String, String> ENV = Map.of(
      "STACK_ID",
      STACK_ID,
      "ENDPOINT_NAME",
      "offhours-endpoint",
      "MAPPING_UUID",
      "uuid-1",
      "CONTROL_TABLE_NAME",
      "offhours-control",
      "QUEUE_URL",
      QUEUE_URL);

  private final Rig rig = new Rig();
  private StubHttpServer server;
  /** Requests before this index were checked already. */
  private int seen;

  private EndpointCleanupHandler handler;
  private RuntimeException describeError;
  private RuntimeException storeError;
  private RuntimeException disableError;
  /** How long each read of the control table takes (a DynamoDB call that stalls until its timeout). */
  private Duration storeLoad = Duration.ZERO;
  /** The cleanup's clock: each pause moves it on. */
  /** The cleanup's time: it moves only by the pauses the cleanup takes. */
  private final PausedTime time = new PausedTime(Instant.parse("2026-01-14T09:00:00Z"));
  /** The images queue: S3's test event in it, as after the bucket's notification was put. */
  private final MemoryQueue queue = new MemoryQueue(time, MemoryQueue.TEST_EVENT);

  @BeforeEach
  void start() throws IOException {
    server = StubHttpServer.start(request -> Reply.empty(200));
    Endpoint endpoint = new Endpoint() {
      @Override
      public Status describe() {
        if (describeError != null) {
          throw describeError;
        }
        return rig.endpoint;
      }

      @Override
      public boolean create() {
        throw new AssertionError("cleanup never creates");
      }

      @Override
      public void delete() {
        rig.calls.add("delete");
        if (rig.createError != null) {
          throw rig.createError;
        }
        // As SageMaker: refused while in progress, else Deleting.
        if (rig.endpoint.state() == State.CREATING || rig.endpoint.state() == State.UPDATING) {
          throw new IllegalStateException(
              "ValidationException: Cannot delete in-progress endpoint");
        }
        rig.endpoint = Status.of(State.DELETING, null, rig.endpoint.createdAt(), rig.now);
      }

      @Override
      public Probe probe() {
        throw new AssertionError("cleanup never invokes");
      }
    };
    Mapping mapping = new Mapping() {
      @Override
      public TriggerState state() {
        return rig.mapping;
      }

      @Override
      public void enable() {
        throw new AssertionError("cleanup never enables");
      }

      @Override
      public void disable() {
        rig.calls.add("disable");
        if (disableError != null) {
          throw disableError;
        }
      }
    };
    ControlStore store = new ControlStore() {
      @Override
      public Optional<ControlState> load() {
        time.pass(storeLoad);
        if (storeError != null) {
          throw storeError;
        }
        return rig.table.load();
      }

      @Override
      public boolean save(ControlState next, long expectedVersion) {
        return rig.table.save(next, expectedVersion);
      }

      @Override
      public boolean save(ControlState next, long expectedVersion, List<Ledger.Day> counted) {
        return rig.table.save(next, expectedVersion, counted);
      }
    };
    handler = new EndpointCleanupHandler(
        endpoint,
        mapping,
        store,
        CONFIG,
        HttpClient.newHttpClient(),
        time,
        time::sleep,
        queue,
        queue);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** An events/ fixture, answered to the loopback server instead of S3. */
  private Map<String, Object> event(String fixture) {
    Map<String, Object> e = new HashMap<>(fixture(fixture));
    e.put("ResponseURL", server.uri() + "/cfn-response?X-Amz-Signature=abc");
    return e;
  }

  private JsonNode sent() throws IOException {
    List<Request> sent = server.requests().subList(seen, server.requests().size());
    assertThat(sent).extracting(Request::method).containsExactly("PUT");
    return new ObjectMapper().readTree(sent.getLast().text());
  }

  @Test
  void createSweepsTheTestEventAndTouchesNothingElse() throws IOException {
    handler.handleRequest(event("cfn-endpoint-cleanup-create.json"), null);
    JsonNode r = sent();
    assertThat(r.get("Status").asText()).isEqualTo("SUCCESS");
    assertThat(r.get("Reason").asText())
        .isEqualTo("test-event sweep: deleted 1 s3:TestEvent message; the queue is empty");
    assertThat(r.get("Data").get("TestEventsDeleted").asInt()).isEqualTo(1);
    assertThat(queue.messages).isEmpty();
    assertThat(r.get("PhysicalResourceId").asText())
        .isEqualTo("offhours-endpoint-cleanup-offhours-endpoint");
    assertThat(r.get("StackId").asText()).isEqualTo(STACK_ID);
    assertThat(r.get("RequestId").asText()).isEqualTo("req-create");
    assertThat(r.get("LogicalResourceId").asText()).isEqualTo("EndpointCleanup");
    assertThat(rig.calls).isEmpty();
  }

  @Test
  void updateKeepsThePhysicalResourceId() throws IOException {
    Map<String, Object> e = event("cfn-endpoint-cleanup-delete.json");
    e.put("RequestType", "Update");
    e.put("PhysicalResourceId", "existing-id");
    handler.handleRequest(e, null);
    assertThat(sent().get("PhysicalResourceId").asText()).isEqualTo("existing-id");
    assertThat(rig.calls).isEmpty();
  }

  /** An Update event whose ImagesBucketFingerprint goes from {@code before} to {@code after} (null: absent). */
  private Map<String, Object> update(String before, String after) {
    Map<String, Object> e = event("cfn-endpoint-cleanup-delete.json");
    e.put("RequestType", "Update");
    @SuppressWarnings("unchecked")
    Map<String, Object> properties =
        new HashMap<>((Map<String, Object>) e.get("ResourceProperties"));
    Map<String, Object> old = new HashMap<>(properties);
    if (after != null) {
      properties.put(EndpointCleanup.BUCKET_FINGERPRINT, after);
    }
    if (before != null) {
      old.put(EndpointCleanup.BUCKET_FINGERPRINT, before);
    }
    e.put("ResourceProperties", properties);
    e.put("OldResourceProperties", old);
    return e;
  }

  @Test
  void anUpdateThatChangedTheBucketSweepsAndOneThatDidNotLeavesTheQueueAlone() throws IOException {
    handler.handleRequest(update("aaaa", "aaaa"), null);
    JsonNode unchanged = sent();
    assertThat(unchanged.get("Status").asText()).isEqualTo("SUCCESS");
    assertThat(unchanged.has("Reason")).isFalse();
    assertThat(queue.calls).isEmpty();

    seen = server.requests().size();
    handler.handleRequest(update("aaaa", "bbbb"), null);
    JsonNode changed = sent();
    assertThat(changed.get("Status").asText()).isEqualTo("SUCCESS");
    assertThat(changed.get("Data").get("TestEventsDeleted").asInt()).isEqualTo(1);
    // Uploads may wait in an updated stack's queue: it reads the counters before receiving.
    assertThat(queue.calls).containsExactly("read", "receive 10 s", "delete", "receive 10 s");
  }

  @Test
  void theFirstUpdateThatCarriesAFingerprintSweeps() throws IOException {
    handler.handleRequest(update(null, "aaaa"), null);
    assertThat(sent().get("Data").get("TestEventsDeleted").asInt()).isEqualTo(1);
  }

  @Test
  void aSweepThatFailsStillAnswersSuccessAndSaysWhy() throws IOException {
    queue.failing = "receive";
    handler.handleRequest(event("cfn-endpoint-cleanup-create.json"), null);
    JsonNode r = sent();
    assertThat(r.get("Status").asText()).isEqualTo("SUCCESS");
    assertThat(r.get("Reason").asText())
        .startsWith("test-event sweep stopped (SQS answered 500 InternalError to receive 10 s)");
    assertThat(r.get("Data").get("TestEventsDeleted").asInt()).isZero();
  }

  @Test
  void aSweepAwsRefusedLogsAwsAnswerAndTheStackEventSaysItInOffhoursWords() throws IOException {
    String said = AwsAnswers.denied(
        "offhours-EndpointCleanupRole-X1",
        "sqs:ReceiveMessage",
        "arn:aws:sqs:eu-central-1:123456789012:offhours-images");
    queue.failing = "receive";
    queue.failure =
        AwsAnswers.refusal(SqsException.builder(), 403, "4e5f", "AccessDenied", said, "Sqs");
    List<String> logged = new ArrayList<>();

    handler.handleRequest(
        event("cfn-endpoint-cleanup-create.json"), LambdaContexts.loggingTo(logged, 300_000));

    JsonNode r = sent();
    assertThat(r.get("Reason").asText())
        .startsWith(
            "test-event sweep stopped (the queue's receive or delete was refused:"
                + " the cleanup function's role may not call sqs:ReceiveMessage (AccessDenied, HTTP 403)")
        .as("this function made the call and logs AWS's answer, not the controller")
        .contains("; the cleanup function's log has AWS's answer")
        .doesNotContain("123456789012", "4e5f", "arn:", "controller");
    assertThat(logged)
        .singleElement(as(STRING))
        .startsWith("custom resource response: ")
        .endsWith("; AWS's answer to the queue's receive or delete: AccessDenied (HTTP 403,"
            + " request 4e5f): " + said);
  }

  @Test
  void aDeleteNeverSweeps() throws IOException {
    rig.mapping = Mapping.TriggerState.ABSENT;
    handler.handleRequest(event("cfn-endpoint-cleanup-delete.json"), null);
    assertThat(sent().get("Status").asText()).isEqualTo("SUCCESS");
    assertThat(queue.calls).isEmpty();
  }

  @Test
  void deleteHoldsTheControllerDisablesTheMappingThenDeletesALiveEndpoint() throws IOException {
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.inService();
    handler.handleRequest(event("cfn-endpoint-cleanup-delete.json"), null);
    JsonNode r = sent();
    assertThat(r.get("PhysicalResourceId").asText())
        .isEqualTo("offhours-endpoint-cleanup-offhours-endpoint");
    assertThat(r.get("Status").asText()).isEqualTo("SUCCESS");
    assertThat(r.get("Reason").asText()).isEqualTo("deleted endpoint (was IN_SERVICE)");
    assertThat(rig.calls).containsExactly("disable", "delete");
    // A controller run still in flight finds a stop "until auto" and does not create the endpoint
    // again.
    assertThat(rig.state().override())
        .isEqualTo(new ControlState.Override(ControlState.Override.Mode.STOP, null));
    rig.endpoint = Endpoint.Status.ABSENT;
    rig.mapping = Mapping.TriggerState.DISABLED;
    Decision late = rig.runAt("2026-01-14T10:00:00Z");
    assertThat(late.wantReason()).isEqualTo("manual stop until auto");
    assertThat(late.action()).isEqualTo(Decision.Action.NONE);
  }

  @Test
  void theHoldIsTheNextVersionOfTheStateSoARunThatLoadedItBeforeCannotWriteOverIt()
      throws IOException {
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.inService();
    rig.runAt("2026-01-14T09:00:00Z");
    // What a controller run still in flight loaded before the stack's delete began.
    ControlState loaded = rig.state();

    handler.handleRequest(event("cfn-endpoint-cleanup-delete.json"), null);

    assertThat(rig.state().version()).isEqualTo(loaded.version() + 1);
    assertThat(rig.table.save(loaded, loaded.version()))
        .as("the in-flight run's write, conditional on the version it loaded")
        .isFalse();
    assertThat(rig.state().override())
        .isEqualTo(new ControlState.Override(ControlState.Override.Mode.STOP, null));
  }

  @Test
  void deleteSucceedsWhenEverythingIsAlreadyGone() throws IOException {
    rig.mapping = Mapping.TriggerState.ABSENT;
    handler.handleRequest(event("cfn-endpoint-cleanup-delete.json"), null);
    JsonNode r = sent();
    assertThat(r.get("Status").asText()).isEqualTo("SUCCESS");
    assertThat(r.get("Reason").asText()).isEqualTo("endpoint already absent");
    assertThat(rig.calls).isEmpty();
  }

  @Test
  void theHoldIsBestEffortTheEndpointIsDeletedWithoutIt() throws IOException {
    // A rollback of a failed create: the control table may be gone already.
    storeError =
        new IllegalStateException("ResourceNotFoundException: Requested resource not found");
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.inService();
    handler.handleRequest(event("cfn-endpoint-cleanup-delete.json"), null);
    JsonNode r = sent();
    assertThat(r.get("Status").asText()).isEqualTo("SUCCESS");
    assertThat(r.get("Reason").asText())
        .isEqualTo("deleted endpoint (was IN_SERVICE); the controller was not held"
            + " (ResourceNotFoundException: Requested resource not found)");
    assertThat(rig.calls).containsExactly("disable", "delete");
  }

  @Test
  void aTriggerInTransitionDoesNotStopTheEndpointsDeletion() throws IOException {
    // Lambda refuses to update a mapping that is Enabling or Updating; the bill stops only when the
    // endpoint goes.
    disableError = new IllegalStateException(
        "Cannot update the event source mapping uuid-1 because it is in state"
            + " Enabling. Retry when its state is Enabled or Disabled.");
    rig.mapping = Mapping.TriggerState.ENABLING;
    rig.inService();
    handler.handleRequest(event("cfn-endpoint-cleanup-delete.json"), null);
    JsonNode r = sent();
    assertThat(r.get("Status").asText()).isEqualTo("SUCCESS");
    assertThat(r.get("Reason").asText())
        .isEqualTo("deleted endpoint (was IN_SERVICE); the trigger was not paused"
            + " (Cannot update the event source mapping uuid-1 because it is in state Enabling. Retry when its state is"
            + " Enabled or Disabled.)");
    assertThat(rig.calls).containsExactly("disable", "delete");
  }

  @Test
  void aFailedDeleteAnswersFailedWithTheReasonAndHowToFinishByHand() throws IOException {
    rig.inService();
    rig.createError = new IllegalStateException(
        "AccessDeniedException: not authorized to perform sagemaker:DeleteEndpoint");
    handler.handleRequest(event("cfn-endpoint-cleanup-delete.json"), null);
    JsonNode r = sent();
    assertThat(r.get("Status").asText()).isEqualTo("FAILED");
    assertThat(r.get("Reason").asText())
        .isEqualTo("could not delete the endpoint offhours-endpoint: AccessDeniedException:"
            + " not authorized to perform sagemaker:DeleteEndpoint; delete it with 'aws sagemaker delete-endpoint"
            + " --endpoint-name offhours-endpoint' or retry the stack deletion");
  }

  @Test
  void anEndpointStillCreatingIsWaitedForAndDeletedOnceInService() throws IOException {
    rig.endpoint =
        Endpoint.Status.of(Endpoint.State.CREATING, null, time.instant(), time.instant());
    time.meanwhile(waited -> {
      if (waited.compareTo(Duration.ofSeconds(30)) >= 0) {
        rig.inService();
      }
    });
    handler.handleRequest(event("cfn-endpoint-cleanup-delete.json"), null);
    JsonNode r = sent();
    assertThat(r.get("Status").asText()).isEqualTo("SUCCESS");
    assertThat(r.get("Reason").asText())
        .isEqualTo(
            "deleted endpoint (was IN_SERVICE) after waiting 44 s for SageMaker to allow it");
    assertThat(rig.calls).as("no DeleteEndpoint while Creating").containsExactly("delete");
    assertThat(time.pauses)
        .extracting(Duration::toSeconds)
        .as("looks again after 2 s, then less often")
        .containsExactly(2L, 4L, 8L, 15L, 15L);
  }

  @Test
  void anEndpointStillCreatingWhenTheBudgetEndsIsAnsweredFailedWithWhatToDo() throws IOException {
    rig.endpoint =
        Endpoint.Status.of(Endpoint.State.CREATING, null, time.instant(), time.instant());
    handler.handleRequest(event("cfn-endpoint-cleanup-delete.json"), null);
    JsonNode r = sent();
    assertThat(r.get("Status").asText()).isEqualTo("FAILED");
    assertThat(r.get("Reason").asText())
        .isEqualTo(
            "endpoint offhours-endpoint could not be deleted within 240 s: it is still CREATING."
                + " SageMaker deletes an endpoint only once it is InService or Failed. Retry the stack deletion"
                + " in a few minutes, or once it has settled run 'aws sagemaker delete-endpoint --endpoint-name"
                + " offhours-endpoint' and retry the stack deletion");
    assertThat(rig.calls).doesNotContain("delete");
    assertThat(time.waited())
        .as("the whole budget, not a second more")
        .isEqualTo(EndpointCleanupHandler.BUDGET);
  }

  @Test
  void theBudgetCountsFromTheDeletesStartSoASlowHoldShortensTheWait() throws IOException {
    // The hold's read stalled for 100 s (DynamoDB's 50 s call timeout, twice): the budget is what
    // the invocation has before its response, so the wait for the endpoint gets only the rest of
    // it. Counted from after the hold, the response would come 100 s later than the budget
    // allows, past the function's Timeout, and CloudFormation would never get it.
    storeLoad = Duration.ofSeconds(100);
    rig.endpoint =
        Endpoint.Status.of(Endpoint.State.CREATING, null, time.instant(), time.instant());
    Instant start = time.instant();
    handler.handleRequest(event("cfn-endpoint-cleanup-delete.json"), null);
    JsonNode r = sent();
    assertThat(r.get("Status").asText()).isEqualTo("FAILED");
    assertThat(r.get("Reason").asText())
        .startsWith("endpoint offhours-endpoint could not be deleted within 240 s: it is still"
            + " CREATING.");
    assertThat(Duration.between(start, time.instant()))
        .as("the hold and the wait together, within the budget")
        .isEqualTo(EndpointCleanupHandler.BUDGET);
    assertThat(time.waited()).isEqualTo(Duration.ofSeconds(140));
  }

  @Test
  void anUpdatingEndpointIsWaitedForToo() throws IOException {
    rig.endpoint =
        Endpoint.Status.of(Endpoint.State.UPDATING, null, time.instant(), time.instant());
    time.meanwhile(waited -> rig.inService());
    handler.handleRequest(event("cfn-endpoint-cleanup-delete.json"), null);
    assertThat(sent().get("Reason").asText())
        .isEqualTo("deleted endpoint (was IN_SERVICE) after waiting 2 s for SageMaker to allow it");
    assertThat(rig.calls).containsExactly("delete");
  }

  @Test
  void aFailedEndpointIsDeletedAtOnce() throws IOException {
    rig.endpoint =
        Endpoint.Status.of(Endpoint.State.FAILED, "ping failed", time.instant(), time.instant());
    handler.handleRequest(event("cfn-endpoint-cleanup-delete.json"), null);
    assertThat(sent().get("Reason").asText()).isEqualTo("deleted endpoint (was FAILED)");
    assertThat(time.pauses).isEmpty();
  }

  @Test
  void theBudgetLeavesTheResponseItsTimeWithinTheInvocation() {
    assertThat(EndpointCleanupHandler.budget(null)).isEqualTo(EndpointCleanupHandler.BUDGET);
    assertThat(EndpointCleanupHandler.budget(remaining(Duration.ofSeconds(289))))
        .isEqualTo(Duration.ofSeconds(240));
    assertThat(EndpointCleanupHandler.budget(remaining(Duration.ofSeconds(100))))
        .isEqualTo(Duration.ofSeconds(60));
    assertThat(EndpointCleanupHandler.budget(remaining(Duration.ofSeconds(30))))
        .isEqualTo(Duration.ZERO);
  }

  @Test
  void withNoTimeLeftToWaitAnEndpointInProgressIsAnsweredAtOnce() throws IOException {
    rig.endpoint =
        Endpoint.Status.of(Endpoint.State.CREATING, null, time.instant(), time.instant());
    handler.handleRequest(
        event("cfn-endpoint-cleanup-delete.json"), remaining(Duration.ofSeconds(20)));
    JsonNode r = sent();
    assertThat(r.get("Status").asText()).isEqualTo("FAILED");
    assertThat(r.get("Reason").asText())
        .startsWith(
            "endpoint offhours-endpoint could not be deleted within 0 s: it is still CREATING.");
    assertThat(time.pauses).isEmpty();
  }

  @Test
  void anyFailureIsAnsweredEvenOneWhileLookingAtTheEndpoint() throws IOException {
    describeError = new IllegalStateException(
        "endpoint offhours-endpoint has status Frozen, which offhours does not know");
    handler.handleRequest(event("cfn-endpoint-cleanup-delete.json"), null);
    JsonNode r = sent();
    assertThat(r.get("Status").asText()).isEqualTo("FAILED");
    assertThat(r.get("Reason").asText())
        .startsWith("could not delete the endpoint offhours-endpoint: endpoint "
            + "offhours-endpoint has status Frozen");
  }

  @Test
  void aDeleteOfAnotherStackIsAnsweredButNeverActedOn() throws IOException {
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.inService();
    handler.handleRequest(event("cfn-endpoint-cleanup-delete-other-stack.json"), null);
    JsonNode r = sent();
    assertThat(r.get("Status").asText()).isEqualTo("SUCCESS");
    assertThat(r.get("Reason").asText())
        .isEqualTo("ignored, nothing deleted: the event is of stack arn:aws:"
            + "cloudformation:eu-central-1:123456789012:stack/someone-else/other-guid; this function cleans up after "
            + STACK_ID + " only");
    assertThat(r.get("PhysicalResourceId").asText()).isEqualTo("borrowed-cleanup");
    assertThat(rig.calls).isEmpty();
    assertThat(rig.table.load())
        .as("no hold recorded for another stack's event")
        .isEmpty();
  }

  @Test
  void aCreateOfAnotherStackIsRefused() throws IOException {
    Map<String, Object> e = event("cfn-endpoint-cleanup-delete-other-stack.json");
    e.put("RequestType", "Create");
    e.remove("PhysicalResourceId");
    handler.handleRequest(e, null);
    JsonNode r = sent();
    assertThat(r.get("Status").asText()).isEqualTo("FAILED");
    assertThat(r.get("Reason").asText())
        .startsWith("refused: the event is of stack arn:aws:cloudformation:eu-central-1:"
            + "123456789012:stack/someone-else/other-guid");
  }

  @Test
  void anEventOfThisStackNamingAnotherEndpointOrMappingIsNotActedOn() throws IOException {
    rig.mapping = Mapping.TriggerState.ENABLED;
    rig.inService();
    Map<String, Object> e = event("cfn-endpoint-cleanup-delete.json");
    e.put(
        "ResourceProperties", Map.of("EndpointName", "offhours-endpoint", "MappingUuid", "uuid-2"));
    handler.handleRequest(e, null);
    JsonNode r = sent();
    assertThat(r.get("Status").asText()).isEqualTo("SUCCESS");
    assertThat(r.get("Reason").asText())
        .isEqualTo("ignored, nothing deleted: the event names event source mapping"
            + " uuid-2; this stack's is uuid-1");
    assertThat(rig.calls).isEmpty();
  }

  @Test
  void anUnknownRequestTypeIsAnsweredFailed() throws IOException {
    Map<String, Object> e = event("cfn-endpoint-cleanup-delete.json");
    e.put("RequestType", "Replace");
    handler.handleRequest(e, null);
    JsonNode r = sent();
    assertThat(r.get("Status").asText()).isEqualTo("FAILED");
    assertThat(r.get("Reason").asText())
        .isEqualTo("RequestType 'Replace' is not Create, Update or Delete");
  }

  @Test
  void settingsThatDoNotParseAreAnsweredFailedAndTheRollbackOfThatCreateSucceeds()
      throws IOException {
    Map<String, String> env = new HashMap<>(ENV);
    env.remove("CONTROL_TABLE_NAME");
    EndpointCleanupHandler broken = new EndpointCleanupHandler(
        env,
        e -> {
          throw new AssertionError("no clients are built for settings that do not parse");
        },
        HttpClient.newHttpClient());

    broken.handleRequest(event("cfn-endpoint-cleanup-create.json"), null);
    JsonNode created = sent();
    assertThat(created.get("Status").asText()).isEqualTo("FAILED");
    assertThat(created.get("Reason").asText())
        .isEqualTo("the cleanup function could not start: CONTROL_TABLE_NAME is"
            + " not set; the stack passes it to the cleanup function");
    assertThat(created.get("PhysicalResourceId").asText()).isEqualTo(EndpointCleanup.NOT_CREATED);

    seen = server.requests().size();
    Map<String, Object> rollback = event("cfn-endpoint-cleanup-delete.json");
    rollback.put("PhysicalResourceId", created.get("PhysicalResourceId").asText());
    broken.handleRequest(rollback, null);
    JsonNode deleted = sent();
    assertThat(deleted.get("Status").asText())
        .as("the rollback must not fail (ROLLBACK_FAILED)")
        .isEqualTo("SUCCESS");
    assertThat(deleted.get("Reason").asText())
        .isEqualTo("nothing to clean up: creating this resource had failed");
  }

  @Test
  void settingsThatDoNotParseFailADeleteOfACreatedResourceWithTheReason() throws IOException {
    EndpointCleanupHandler broken = new EndpointCleanupHandler(
        Map.of(),
        e -> {
          throw new AssertionError("no clients are built for settings that do not parse");
        },
        HttpClient.newHttpClient());
    broken.handleRequest(event("cfn-endpoint-cleanup-delete.json"), null);
    JsonNode r = sent();
    assertThat(r.get("Status").asText()).isEqualTo("FAILED");
    assertThat(r.get("Reason").asText())
        .isEqualTo("the cleanup function could not start: STACK_ID is not set; the"
            + " stack passes it to the cleanup function");
    assertThat(r.get("PhysicalResourceId").asText())
        .isEqualTo("offhours-endpoint-cleanup-offhours-endpoint");
  }

  @Test
  void theControllersSettingsDoNotConcernTheCleanup() throws IOException {
    Map<String, String> env = new HashMap<>(ENV);
    env.put("WORKING_HOURS", "weekdays");
    env.put("TIME_ZONE", "Europe/Berln");
    URI nowhere = URI.create("http://127.0.0.1:9");
    EndpointCleanupHandler cleanup = new EndpointCleanupHandler(
        env,
        e -> AwsClients.local(
            Region.EU_CENTRAL_1,
            Map.of(
                AwsClients.Service.SAGEMAKER,
                nowhere,
                AwsClients.Service.LAMBDA,
                nowhere,
                AwsClients.Service.DYNAMODB,
                nowhere,
                AwsClients.Service.SQS,
                nowhere)),
        HttpClient.newHttpClient());
    cleanup.handleRequest(event("cfn-endpoint-cleanup-create.json"), null);
    assertThat(sent().get("Status").asText()).isEqualTo("SUCCESS");
  }

  @Test
  void eachAwsCallEndsWhileTheAnswerStillHasItsTime() throws Exception {
    // DynamoDB, Lambda and SageMaker all stall: each call, cut by its client alone, would run 50 s,
    // and the last look at the endpoint, made as the budget ends, would take the answer past the
    // function's Timeout. With 41 s left, each call gets what the invocation has beyond the 40 s
    // the answer keeps.
    CountDownLatch released = new CountDownLatch(1);
    try (StubHttpServer stalled = StubHttpServer.start(request -> {
      try {
        released.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Reply.empty(500);
    })) {
      EndpointCleanupHandler cleanup = new EndpointCleanupHandler(
          ENV,
          e -> AwsClients.local(
              Region.EU_CENTRAL_1,
              Map.of(
                  AwsClients.Service.SAGEMAKER,
                  stalled.uri(),
                  AwsClients.Service.LAMBDA,
                  stalled.uri(),
                  AwsClients.Service.DYNAMODB,
                  stalled.uri(),
                  AwsClients.Service.SQS,
                  stalled.uri())),
          HttpClient.newHttpClient());
      cleanup.handleRequest(
          event("cfn-endpoint-cleanup-delete.json"),
          remaining(EndpointCleanupHandler.RESERVE.plusSeconds(1)));
      JsonNode r = sent();
      assertThat(r.get("Status").asText()).isEqualTo("FAILED");
      assertThat(r.get("Reason").asText())
          .startsWith("could not delete the endpoint offhours-endpoint: ")
          .contains("DescribeEndpoint was cut after 1000 ms, 40 s before this invocation's end");
      assertThat(stalled.requests())
          .as("the hold's GetItem, the pause's GetEventSourceMapping and the DescribeEndpoint,"
              + " each cut in its first attempt")
          .hasSize(3);
    } finally {
      released.countDown();
    }
  }

  @Test
  void readmeQuotesTheWaitAndWhatTheAnswerKeeps() throws IOException {
    String readme =
        java.nio.file.Files.readString(java.nio.file.Path.of("README.md")).replaceAll("\\s+", " ");
    assertThat(EndpointCleanupHandler.BUDGET.toSecondsPart())
        .as("README gives the wait in whole minutes")
        .isZero();
    long minutes = EndpointCleanupHandler.BUDGET.toMinutes();
    List<String> quotes = List.of(
        "waits up to " + minutes + " minutes for an endpoint that is still being created",
        "The " + minutes + " minutes count from the deletion's start",
        "still has the " + ResponseDeadline.ANSWER.toSeconds() + " s its answer keeps",
        "settled within those " + minutes + " minutes");
    assertThat(quotes.stream().filter(quote -> !readme.contains(quote)).toList())
        .as(
            "what README.md should say, from EndpointCleanupHandler.BUDGET and ResponseDeadline.ANSWER,"
                + " and does not")
        .isEmpty();
  }
}
