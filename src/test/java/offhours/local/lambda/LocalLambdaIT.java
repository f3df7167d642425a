package offhours.local.lambda;

// Needs: moto_server (pip install "moto[server]") for SQS, started by AwsServicesExtension.

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.testing.AwsServicesExtension;
import offhours.testing.AwsServicesExtension.AwsServices;
import offhours.testing.LambdaSqsJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.CreateEventSourceMappingRequest;
import software.amazon.awssdk.services.lambda.model.CreateEventSourceMappingResponse;
import software.amazon.awssdk.services.lambda.model.EventSourceMappingConfiguration;
import software.amazon.awssdk.services.lambda.model.FunctionResponseType;
import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceInUseException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

@ExtendWith(AwsServicesExtension.class)
class LocalLambdaIT {

  /** The ceiling of every wait for an event: generous, as it costs nothing unless the event never comes. */
  private static final Duration WAIT = Duration.ofSeconds(90);

  private final AwsServices services;
  private final SqsClient sqs;
  private final LocalLambda local;
  private final AwsClients lambdaClients;
  private final LambdaClient lambda;
  private final String queueUrl;
  private final String queueArn;
  private final Recorder recorder = new Recorder();
  private final String function = "fn-" + UUID.randomUUID().toString().substring(0, 8);

  LocalLambdaIT(AwsServices services) {
    this.services = services;
    sqs = services.clients().build(Service.SQS, SqsClient.builder());
    local = LocalLambda.builder(sqs).transitionDelay(Duration.ofMillis(200)).start();
    lambdaClients = AwsClients.local(
        Region.US_EAST_1, local.credentials(), Map.of(Service.LAMBDA, local.endpoint()));
    lambda = lambdaClients.build(Service.LAMBDA, LambdaClient.builder());
    // A visibility timeout far longer than any batch's work, so a batch held or slowed by a busy
    // machine never reappears inside its own invocation. A test whose failed messages must come
    // back ends their visibility itself once the failure is recorded (comeBack), as the timeout's
    // end would.
    queueUrl = sqs.createQueue(r -> r.queueName("lambda-it-" + UUID.randomUUID())
            .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "60")))
        .queueUrl();
    queueArn = sqs.getQueueAttributes(
            r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes()
        .get(QueueAttributeName.QUEUE_ARN);
    local.registerFunction(function, LambdaSqsJson.streaming(recorder), Duration.ofSeconds(30));
  }

  @AfterEach
  void close() {
    local.close();
    lambda.close();
    lambdaClients.close();
    sqs.close();
  }

  @Test
  void aFunctionTakingAMapGetsTheSqsEventAsAMapAndItsMessagesAreDeletedAfterIt() throws Exception {
    BlockingQueue<Map<String, Object>> events = new LinkedBlockingQueue<>();
    String json = "json-" + function;
    RequestHandler<Map<String, Object>, Map<String, Object>> handler = (event, context) -> {
      events.add(event);
      return Map.of("action", "NONE");
    };
    local.registerJsonFunction(json, handler, Duration.ofSeconds(30));
    String uuid = lambda
        .createEventSourceMapping(
            r -> r.functionName(json).eventSourceArn(queueArn).batchSize(10))
        .uuid();
    awaitState(uuid, "Enabled");

    sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("{\"runAt\":\"2026-01-14T09:00:30Z\"}"));

    Map<String, Object> event = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(event).isNotNull();
    assertThat((List<?>) event.get("Records")).hasSize(1);
    @SuppressWarnings("unchecked")
    Map<String, Object> record = (Map<String, Object>) ((List<?>) event.get("Records")).getFirst();
    assertThat(record)
        .containsEntry("eventSource", "aws:sqs")
        .containsEntry("eventSourceARN", queueArn)
        .containsEntry("body", "{\"runAt\":\"2026-01-14T09:00:30Z\"}");
    local.await(uuid, s -> s.deleted() == 1, WAIT);
  }

  @Test
  void deliversQueueMessagesToTheHandlerExactlyAsLambdaDoes() throws Exception {
    CreateEventSourceMappingResponse created = lambda.createEventSourceMapping(
        r -> r.functionName(function).eventSourceArn(queueArn).batchSize(10));
    assertThat(created.state()).isEqualTo("Creating");
    assertThat(created.functionArn())
        .isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:" + function);
    assertThat(created.eventSourceArn()).isEqualTo(queueArn);
    assertThat(created.batchSize()).isEqualTo(10);
    assertThat(created.maximumBatchingWindowInSeconds()).isZero();
    assertThat(created.lastModified()).isNotNull();
    awaitState(created.uuid(), "Enabled");

    SendMessageResponse sent = sqs.sendMessage(r -> r.queueUrl(queueUrl)
        .messageBody("{\"hello\":\"world\"}")
        .messageAttributes(Map.of(
            "origin",
            MessageAttributeValue.builder().dataType("String").stringValue("it").build())));

    Call call = recorder.calls.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(call).isNotNull();
    SQSEvent.SQSMessage record = call.event().getRecords().get(0);
    assertThat(call.event().getRecords()).hasSize(1);
    assertThat(record.getMessageId()).isEqualTo(sent.messageId());
    assertThat(record.getBody()).isEqualTo("{\"hello\":\"world\"}");
    assertThat(record.getMd5OfBody()).isEqualTo(sent.md5OfMessageBody());
    assertThat(record.getMd5OfMessageAttributes()).isEqualTo(sent.md5OfMessageAttributes());
    assertThat(record.getReceiptHandle()).isNotBlank();
    assertThat(record.getAttributes())
        .containsEntry("ApproximateReceiveCount", "1")
        .containsKeys("SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp");
    assertThat(record.getMessageAttributes().get("origin").getStringValue()).isEqualTo("it");
    assertThat(record.getMessageAttributes().get("origin").getDataType()).isEqualTo("String");
    assertThat(record.getEventSource()).isEqualTo("aws:sqs");
    assertThat(record.getEventSourceArn()).isEqualTo(queueArn);
    assertThat(record.getAwsRegion()).isEqualTo("us-east-1");
    assertThat(call.functionName()).isEqualTo(function);
    assertThat(call.functionArn()).isEqualTo(created.functionArn());
    assertThat(call.remainingMillis()).isPositive().isLessThanOrEqualTo(30_000);

    local.await(created.uuid(), s -> s.deleted() == 1, WAIT);
    assertQueueEmpty();
  }

  @Test
  void respectsBatchSizeAndGathersForTheBatchingWindow() throws Exception {
    CreateEventSourceMappingResponse created =
        lambda.createEventSourceMapping(r -> r.functionName(function)
            .eventSourceArn(queueArn)
            .batchSize(5)
            .maximumBatchingWindowInSeconds(3)
            .enabled(false));
    // The visibility timeout must outlast the window, or gathered messages would reappear inside
    // their own batch (AWS advises a visibility timeout above function timeout + window); the
    // second window below is 300 s.
    sqs.setQueueAttributes(
        r -> r.queueUrl(queueUrl).attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "900")));
    awaitState(created.uuid(), "Disabled");
    for (int i = 0; i < 12; i++) {
      int n = i;
      sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("m" + n));
    }
    assertThat(lambda
            .updateEventSourceMapping(r -> r.uuid(created.uuid()).enabled(true))
            .state())
        .isEqualTo("Enabling");

    local.await(created.uuid(), s -> s.deleted() == 12, WAIT);
    List<Integer> sizes = new ArrayList<>();
    recorder.calls.forEach(c -> sizes.add(c.event().getRecords().size()));
    assertThat(sizes).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(5));
    assertThat(sizes).contains(5);
    assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(12);

    // Messages sent one by one are gathered into one batch, proven by the order of events rather
    // than by a race against a short window: each is sent only once the poller holds those before
    // it (received, not yet invoked), so the three come in three receives; without a window the
    // first would have gone alone. The window (300 s) is far longer than any wait here, so the
    // batch that leaves at once when full also shows a full batch does not wait the window out.
    assertThat(lambda
            .updateEventSourceMapping(r -> r.uuid(created.uuid()).enabled(false))
            .state())
        .isEqualTo("Disabling");
    awaitState(created.uuid(), "Disabled");
    recorder.calls.clear();
    lambda.updateEventSourceMapping(r ->
        r.uuid(created.uuid()).batchSize(3).maximumBatchingWindowInSeconds(300).enabled(true));
    awaitState(created.uuid(), "Enabled");
    for (int i = 0; i < 3; i++) {
      int n = i;
      sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("w" + n));
      if (n < 2) {
        awaitGathered(n + 1);
      }
    }
    local.await(created.uuid(), s -> s.deleted() == 15, WAIT);
    assertThat(recorder.calls)
        .singleElement()
        .satisfies(c -> assertThat(c.event().getRecords())
            .extracting(SQSEvent.SQSMessage::getBody)
            .containsExactly("w0", "w1", "w2"));
  }

  /** Waits until the poller holds {@code count} messages received into the batch it gathers, none invoked yet. */
  private void awaitGathered(int count) {
    await("the poller holding " + count + " received message(s) in its open batch, none invoked")
        .atMost(WAIT)
        .until(
            () -> {
              Map<QueueAttributeName, String> a = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl)
                      .attributeNames(
                          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                          QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                  .attributes();
              return recorder.calls.size() + " invoked, "
                  + a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES) + " visible, "
                  + a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)
                  + " received";
            },
            ("0 invoked, 0 visible, " + count + " received")::equals);
  }

  @Test
  void partialBatchResponseDeletesOnlyTheSuccessfulMessages() throws Exception {
    recorder.behaviour = (event, call) -> SQSBatchResponse.builder()
        .withBatchItemFailures(event.getRecords().stream()
            .filter(m -> m.getBody().equals("bad")
                && m.getAttributes().get("ApproximateReceiveCount").equals("1"))
            .map(m -> SQSBatchResponse.BatchItemFailure.builder()
                .withItemIdentifier(m.getMessageId())
                .build())
            .toList())
        .build();
    CreateEventSourceMappingResponse created =
        lambda.createEventSourceMapping(r -> r.functionName(function)
            .eventSourceArn(queueArn)
            .functionResponseTypes(FunctionResponseType.REPORT_BATCH_ITEM_FAILURES)
            .enabled(false));
    assertThat(created.functionResponseTypes())
        .containsExactly(FunctionResponseType.REPORT_BATCH_ITEM_FAILURES);
    awaitState(created.uuid(), "Disabled");
    sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("good-1"));
    String bad = sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("bad")).messageId();
    sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("good-2"));
    lambda.updateEventSourceMapping(r -> r.uuid(created.uuid()).enabled(true));

    comeBack(created.uuid(), 1, bad);
    MappingStats stats = local.await(created.uuid(), s -> s.deleted() == 3, WAIT);

    assertThat(stats.failed()).isEqualTo(1);
    List<SQSEvent.SQSMessage> deliveries =
        recorder.calls.stream().flatMap(c -> c.event().getRecords().stream()).toList();
    assertThat(deliveries)
        .filteredOn(m -> m.getMessageId().equals(bad))
        .extracting(m -> m.getAttributes().get("ApproximateReceiveCount"))
        .containsExactly("1", "2");
    assertThat(deliveries)
        .filteredOn(m -> m.getBody().startsWith("good"))
        .extracting(m -> m.getAttributes().get("ApproximateReceiveCount"))
        .containsOnly("1")
        .hasSize(2);
    assertQueueEmpty();
  }

  @Test
  void withoutReportBatchItemFailuresAReportedFailureIsIgnored() throws Exception {
    recorder.behaviour = (event, call) -> SQSBatchResponse.builder()
        .withBatchItemFailures(List.of(SQSBatchResponse.BatchItemFailure.builder()
            .withItemIdentifier(event.getRecords().get(0).getMessageId())
            .build()))
        .build();
    String uuid = mapping();
    sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("only"));

    MappingStats stats = local.await(uuid, s -> s.deleted() == 1, WAIT);

    assertThat(stats.failed()).isZero();
    assertQueueEmpty();
  }

  @Test
  void aThrowingHandlerDeletesNothingAndTheMessagesComeBackWithAHigherReceiveCount()
      throws Exception {
    recorder.behaviour = (event, call) -> {
      if (firstReceive(event)) {
        throw new IllegalStateException("endpoint exploded");
      }
      return new SQSBatchResponse(List.of());
    };
    String uuid =
        mapping(r -> r.functionResponseTypes(FunctionResponseType.REPORT_BATCH_ITEM_FAILURES));
    String id = sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("x")).messageId();

    comeBack(uuid, 1, id);
    MappingStats stats = local.await(uuid, s -> s.deleted() == 1, WAIT);

    assertThat(stats.invocationErrors()).isEqualTo(1);
    assertThat(stats.failed()).isEqualTo(1);
    assertReceivedTwice(id);
  }

  @Test
  void anInvocationCutOffMidBatchDeletesNothingAndItsMessagesComeBackAfterTheVisibilityTimeout()
      throws Exception {
    CountDownLatch cut = new CountDownLatch(1);
    recorder.behaviour = (event, call) -> {
      if (firstReceive(event)) {
        try {
          cut.await(); // the first batch is still at work when the cut-off ends its invocation
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return new SQSBatchResponse(
          List.of()); // even a handler that ends normally afterwards counts as failed
    };
    local.cutNextInvocation(function, Duration.ofMillis(100));
    String uuid =
        mapping(r -> r.functionResponseTypes(FunctionResponseType.REPORT_BATCH_ITEM_FAILURES));
    String id = sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("cut")).messageId();

    comeBack(uuid, 1, id);
    MappingStats stats = local.await(uuid, s -> s.deleted() == 1, WAIT);

    assertThat(stats.invocationErrors()).isEqualTo(1);
    assertReceivedTwice(id);
    assertThat(local.cuts(function))
        .as("taken, and counted as ending a running handler")
        .isEqualTo(new LocalLambda.Cuts(0, 1, 0));
  }

  @Test
  void aCutOffTheBatchOutrunsIsCountedAsOutrunAndTheBatchIsDeleted() throws Exception {
    local.cutNextInvocation(function, Duration.ofSeconds(20)); // under the 30 s timeout
    assertThat(local.cuts(function)).isEqualTo(new LocalLambda.Cuts(1, 0, 0));
    String uuid = mapping();
    sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("quick"));

    MappingStats stats = local.await(uuid, s -> s.deleted() == 1, WAIT);

    assertThat(stats.invocationErrors()).isZero();
    assertThat(local.cuts(function)).isEqualTo(new LocalLambda.Cuts(0, 0, 1));
  }

  @Test
  void aCutOffForAFunctionThatIsNotRegisteredIsRefused() {
    assertThatThrownBy(() -> local.cutNextInvocation("nobody", Duration.ofMillis(100)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no function nobody is registered");
  }

  @Test
  void aCutOffEndsItsEnvironmentSoNoCallOfItsThreadsGoesOutAfterItAndTheNextBatchStartsAFreshOne()
      throws Exception {
    String reached = sqs.createQueue(r -> r.queueName("lambda-it-reached-" + UUID.randomUUID()))
        .queueUrl();
    CountDownLatch cutOff = new CountDownLatch(1);
    Map<String, CompletableFuture<String>> calls = new ConcurrentHashMap<>();
    AtomicInteger inits = new AtomicInteger();
    String cold = "env-" + function;
    // As Classify's: clients built at init, and a call made on a worker thread of the handler's,
    // which goes on when the handler is ended; this one waits until the cut-off has been counted.
    local.registerFunction(
        cold,
        environment -> {
          inits.incrementAndGet();
          // Kept by the environment, which closes it when it ends (ExecutionEnvironment#clients).
          SqsClient own =
              environment.clients(services.clients()).build(Service.SQS, SqsClient.builder());
          return LambdaSqsJson.streaming((event, context) -> {
            String body = event.getRecords().getFirst().getBody();
            CompletableFuture<String> call = new CompletableFuture<>();
            calls.put(body, call);
            Thread.ofPlatform().daemon().start(() -> {
              try {
                cutOff.await();
                call.complete(
                    own.sendMessage(r -> r.queueUrl(reached).messageBody(body)).messageId());
              } catch (InterruptedException | RuntimeException e) {
                call.completeExceptionally(e);
              }
            });
            try {
              call.get(); // the first batch is still waiting for it when the cut-off ends it
            } catch (InterruptedException | ExecutionException e) {
              throw new IllegalStateException(e);
            }
            return new SQSBatchResponse(List.of());
          });
        },
        Duration.ofSeconds(30));
    assertThat(inits).as("the first environment starts at registration").hasValue(1);
    local.cutNextInvocation(cold, Duration.ofMillis(100));
    String uuid = lambda
        .createEventSourceMapping(r -> r.functionName(cold).eventSourceArn(queueArn))
        .uuid();

    sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("cut"));
    local.await(uuid, s -> s.failed() == 1 && s.invoking() == 0, WAIT);
    assertThat(local.cuts(cold)).isEqualTo(new LocalLambda.Cuts(0, 1, 0));
    cutOff.countDown();

    assertThatThrownBy(() -> calls.get("cut").get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .as("the cut invocation's call, made after the cut-off, fails without being sent")
        .hasRootCauseInstanceOf(SdkClientException.class)
        .rootCause()
        .hasMessageContaining("the local Lambda ended this execution environment of " + cold);
    sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("after"));
    local.await(uuid, s -> s.deleted() == 1, WAIT);
    assertThat(calls.get("after").get())
        .as("a fresh environment's call goes out")
        .isNotNull();
    sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("warm"));
    local.await(uuid, s -> s.deleted() == 2, WAIT);
    assertThat(inits).as("one cold start after the cut-off, then reused").hasValue(2);
    assertThat(
            sqs.receiveMessage(r -> r.queueUrl(reached).maxNumberOfMessages(10)).messages())
        .extracting(software.amazon.awssdk.services.sqs.model.Message::body)
        .as("what reached the service")
        .containsExactlyInAnyOrder("after", "warm");
  }

  @Test
  void aDisabledMappingLeavesMessagesUntouchedUntilReEnabled() throws Exception {
    String uuid = mapping();
    awaitState(uuid, "Enabled");
    assertThat(lambda.updateEventSourceMapping(r -> r.uuid(uuid).enabled(false)).state())
        .isEqualTo("Disabling");
    awaitState(uuid, "Disabled");
    for (int i = 0; i < 3; i++) {
      int n = i;
      sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("paused-" + n));
    }
    // A (wrongly) running poller gets several receive rounds; the receive counts below would show
    // them too.
    await()
        .during(Duration.ofSeconds(3))
        .atMost(WAIT)
        .until(() -> local.stats(uuid).batches() == 0);

    lambda.updateEventSourceMapping(r -> r.uuid(uuid).enabled(true));
    local.await(uuid, s -> s.deleted() == 3, WAIT);

    assertThat(recorder.calls.stream().flatMap(c -> c.event().getRecords().stream()))
        .extracting(m -> m.getAttributes().get("ApproximateReceiveCount"))
        .containsExactly("1", "1", "1");
  }

  @Test
  void anInFlightBatchFinishesAfterDisableAndTheMappingIsDisablingUntilThen() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    recorder.behaviour = succeedOnceReleased(release);
    String uuid = mapping();
    sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("slow"));
    local.await(uuid, s -> s.invoking() == 1, WAIT);

    assertThat(lambda.updateEventSourceMapping(r -> r.uuid(uuid).enabled(false)).state())
        .isEqualTo("Disabling");
    assertThatThrownBy(() -> lambda.updateEventSourceMapping(r -> r.uuid(uuid).enabled(true)))
        .isInstanceOf(ResourceInUseException.class)
        .hasMessageContaining("because it is in state Disabling");
    // Past the transition delay the batch still holds the mapping in Disabling.
    await()
        .during(Duration.ofMillis(400))
        .atMost(WAIT)
        .until(() -> lambda.getEventSourceMapping(r -> r.uuid(uuid)).state(), "Disabling"::equals);

    release.countDown();
    awaitState(uuid, "Disabled");
    assertThat(local.stats(uuid).deleted()).isEqualTo(1);
    assertQueueEmpty();
  }

  @Test
  void maximumConcurrencyBoundsTheBatchesInFlight() throws Exception {
    String uuid =
        mapping(r -> r.batchSize(1).scalingConfig(s -> s.maximumConcurrency(3)).enabled(false));

    assertThat(maxConcurrentInvocations(uuid, 12, 3)).isEqualTo(3);
    assertThat(lambda.getEventSourceMapping(r -> r.uuid(uuid)).scalingConfig().maximumConcurrency())
        .isEqualTo(3);
  }

  @Test
  void withoutMaximumConcurrencyTheBuildersDefaultBoundsTheBatchesInFlight() throws Exception {
    String uuid = mapping(r -> r.batchSize(1).enabled(false));

    assertThat(maxConcurrentInvocations(uuid, 8, 2)).isEqualTo(2);
    assertThat(lambda.getEventSourceMapping(r -> r.uuid(uuid)).scalingConfig()).isNull();
  }

  /**
   * Sends {@code messages} to the disabled mapping and enables it; every invocation is held until {@code bound} are
   * in flight at once and stay so while the poller could start more. Returns the most invocations seen at once.
   */
  private int maxConcurrentInvocations(String uuid, int messages, int bound) throws Exception {
    AtomicInteger current = new AtomicInteger();
    AtomicInteger max = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    recorder.behaviour = (event, call) -> {
      max.accumulateAndGet(current.incrementAndGet(), Math::max);
      try {
        assertThat(release.await(WAIT.toSeconds(), TimeUnit.SECONDS))
            .as("released")
            .isTrue();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      } finally {
        current.decrementAndGet();
      }
      return new SQSBatchResponse(List.of());
    };
    awaitState(uuid, "Disabled");
    for (int i = 0; i < messages; i++) {
      int n = i;
      sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("c" + n));
    }
    lambda.updateEventSourceMapping(r -> r.uuid(uuid).enabled(true));

    await().atMost(WAIT).until(() -> current.get() == bound);
    // Messages are waiting, so a poller that ignored the bound would start more batches meanwhile.
    await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> max.get() == bound);
    release.countDown();
    MappingStats stats = local.await(uuid, s -> s.deleted() == messages, WAIT);

    assertThat(stats.batches()).isEqualTo(messages);
    return max.get();
  }

  @Test
  void aHandlerStillRunningAtTheFunctionTimeoutIsInterruptedAndItsBatchFails() throws Exception {
    AtomicInteger interrupted = new AtomicInteger();
    recorder.behaviour = (event, call) -> {
      if (firstReceive(event)) {
        try {
          Thread.sleep(Duration.ofMinutes(1));
        } catch (InterruptedException e) {
          interrupted.incrementAndGet();
          throw new IllegalStateException("interrupted", e);
        }
      }
      return new SQSBatchResponse(List.of());
    };
    // A timeout long next to the second call's work (milliseconds): only the first call is cut.
    local.registerFunction(
        function + "-slow", LambdaSqsJson.streaming(recorder), Duration.ofSeconds(3));
    String uuid = lambda
        .createEventSourceMapping(r -> r.functionName(function + "-slow").eventSourceArn(queueArn))
        .uuid();
    String id =
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("takes too long")).messageId();

    comeBack(uuid, 1, id);
    MappingStats stats = local.await(uuid, s -> s.deleted() == 1, WAIT);

    assertThat(stats.batches()).isEqualTo(2);
    assertThat(stats.invocationErrors()).isEqualTo(1);
    assertThat(interrupted).hasValue(1);
  }

  @Test
  void closeLetsTheBatchInFlightFinishAndDeleteItsMessages() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    recorder.behaviour = succeedOnceReleased(release);
    String uuid = mapping();
    sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("in flight at close"));
    local.await(uuid, s -> s.invoking() == 1, WAIT);

    Thread closing = new Thread(local::close);
    closing.start();
    release.countDown();
    closing.join(WAIT.toMillis());

    assertThat(closing.isAlive()).isFalse();
    assertThat(local.stats(uuid).deleted()).isEqualTo(1);
    assertQueueEmpty();
  }

  @Test
  void answersErrorsAsLambdaDoes() {
    assertThatThrownBy(
            () -> lambda.getEventSourceMapping(r -> r.uuid(UUID.randomUUID().toString())))
        .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(404);
          assertThat(e.awsErrorDetails().errorMessage())
              .isEqualTo("The resource you requested does not exist.");
        });
    assertThatThrownBy(() ->
            lambda.createEventSourceMapping(r -> r.functionName("nope").eventSourceArn(queueArn)))
        .isInstanceOfSatisfying(
            ResourceNotFoundException.class,
            e -> assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo(
                    "Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope"));
    assertThatThrownBy(() -> lambda.createEventSourceMapping(
            r -> r.functionName(function).eventSourceArn(queueArn).batchSize(11)))
        .isInstanceOfSatisfying(
            InvalidParameterValueException.class,
            e -> assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo(
                    "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10"));
    assertThatThrownBy(() -> lambda.createEventSourceMapping(r -> r.functionName(function)
            .eventSourceArn(queueArn)
            .scalingConfig(s -> s.maximumConcurrency(1))))
        .isInstanceOfSatisfying(LambdaException.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
          assertThat(e.awsErrorDetails().errorMessage())
              .isEqualTo(
                  "1 validation error detected: Value '1' at "
                      + "'scalingConfig.maximumConcurrency' failed to satisfy constraint: Member must have value greater than or equal to 2");
        });

    CreateEventSourceMappingResponse created =
        lambda.createEventSourceMapping(r -> r.functionName(function).eventSourceArn(queueArn));
    assertThatThrownBy(
            () -> lambda.updateEventSourceMapping(r -> r.uuid(created.uuid()).batchSize(3)))
        .isInstanceOf(ResourceInUseException.class)
        .hasMessageContaining("because it is in state Creating");
    assertThatThrownBy(() ->
            lambda.createEventSourceMapping(r -> r.functionName(function).eventSourceArn(queueArn)))
        .isInstanceOfSatisfying(
            ResourceConflictException.class,
            e -> assertThat(e.awsErrorDetails().errorMessage())
                .endsWith(
                    "Please update or delete the existing mapping with UUID " + created.uuid()));
    assertThat(
            lambda.listEventSourceMappings(r -> r.eventSourceArn(queueArn)).eventSourceMappings())
        .extracting(EventSourceMappingConfiguration::uuid)
        .containsExactly(created.uuid());
    assertThat(lambda
            .listEventSourceMappings(r -> r.eventSourceArn(queueArn + "-other"))
            .eventSourceMappings())
        .isEmpty();
  }

  @Test
  void aSettingsUpdateShowsUpdatingThenTheStableStateWithTheNewSettings() throws Exception {
    CreateEventSourceMappingResponse created =
        lambda.createEventSourceMapping(r -> r.functionName(function).eventSourceArn(queueArn));
    awaitState(created.uuid(), "Enabled");

    var updated = lambda.updateEventSourceMapping(r -> r.uuid(created.uuid())
        .batchSize(20)
        .maximumBatchingWindowInSeconds(2)
        .scalingConfig(s -> s.maximumConcurrency(5)));

    assertThat(updated.state()).isEqualTo("Updating");
    assertThat(updated.lastModified()).isAfterOrEqualTo(created.lastModified());
    awaitState(created.uuid(), "Enabled");
    EventSourceMappingConfiguration now = lambda
        .listEventSourceMappings(r -> r.functionName(created.functionArn()))
        .eventSourceMappings()
        .get(0);
    assertThat(now.batchSize()).isEqualTo(20);
    assertThat(now.maximumBatchingWindowInSeconds()).isEqualTo(2);
    assertThat(now.scalingConfig().maximumConcurrency()).isEqualTo(5);
  }

  @Test
  void aMappingWhoseQueueDoesNotExistYetStartsDeliveringOnceItDoes() throws Exception {
    String name = "lambda-it-later-" + UUID.randomUUID();
    String uuid = lambda
        .createEventSourceMapping(r ->
            r.functionName(function).eventSourceArn("arn:aws:sqs:us-east-1:123456789012:" + name))
        .uuid();
    awaitState(uuid, "Enabled");

    String laterUrl = sqs.createQueue(r -> r.queueName(name)).queueUrl();
    sqs.sendMessage(r -> r.queueUrl(laterUrl).messageBody("late"));

    local.await(uuid, s -> s.deleted() == 1, WAIT);
    assertThat(recorder.calls)
        .singleElement()
        .satisfies(c -> assertThat(c.event().getRecords().get(0).getBody()).isEqualTo("late"));
  }

  @Test
  void deletingAMappingEndsInNotFound() throws Exception {
    String uuid = mapping();
    awaitState(uuid, "Enabled");

    assertThat(lambda.deleteEventSourceMapping(r -> r.uuid(uuid)).state()).isEqualTo("Deleting");

    await().atMost(WAIT).until(() -> {
      try {
        lambda.getEventSourceMapping(r -> r.uuid(uuid));
        return false;
      } catch (ResourceNotFoundException gone) {
        return true;
      }
    });
    assertThat(lambda.listEventSourceMappings(r -> r.functionName(function)).eventSourceMappings())
        .isEmpty();
  }

  @Test
  void closeLeavesNoThreadBehind() {
    lambda.createEventSourceMapping(r -> r.functionName(function).eventSourceArn(queueArn));

    local.close();

    assertThat(Thread.getAllStackTraces().keySet())
        .extracting(Thread::getName)
        .noneMatch(name -> name.startsWith(local.threadPrefix() + "-"));
  }

  /** A mapping from the test's function on the test queue, with these settings; its UUID. */
  private String mapping(UnaryOperator<CreateEventSourceMappingRequest.Builder> settings) {
    return lambda
        .createEventSourceMapping(
            r -> settings.apply(r.functionName(function).eventSourceArn(queueArn)))
        .uuid();
  }

  private String mapping() {
    return mapping(r -> r);
  }

  /** Whether the batch's first message is received for the first time. */
  private static boolean firstReceive(SQSEvent event) {
    return event
        .getRecords()
        .getFirst()
        .getAttributes()
        .get("ApproximateReceiveCount")
        .equals("1");
  }

  /** Message {@code id} came in exactly two batches, each led by it: first received once, then twice. */
  private void assertReceivedTwice(String id) {
    assertThat(recorder.calls)
        .extracting(c -> c.event().getRecords().get(0))
        .extracting(
            SQSEvent.SQSMessage::getMessageId,
            m -> m.getAttributes().get("ApproximateReceiveCount"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(id, "1"),
            org.assertj.core.groups.Tuple.tuple(id, "2"));
  }

  /**
   * Once {@code failed} messages are recorded failed and no batch is at work, ends the visibility of the deliveries of
   * messages {@code ids} so far, as their visibility timeout's end would: they come back to be received again.
   */
  private void comeBack(String uuid, long failed, String... ids) throws InterruptedException {
    local.await(uuid, s -> s.failed() == failed && s.invoking() == 0, WAIT);
    List<String> failedIds = List.of(ids);
    for (Call call : recorder.calls) {
      for (SQSEvent.SQSMessage m : call.event().getRecords()) {
        if (failedIds.contains(m.getMessageId())) {
          sqs.changeMessageVisibility(
              r -> r.queueUrl(queueUrl).receiptHandle(m.getReceiptHandle()).visibilityTimeout(0));
        }
      }
    }
  }

  private void awaitState(String uuid, String state) {
    await("mapping " + uuid + " " + state)
        .atMost(WAIT)
        .until(() -> lambda.getEventSourceMapping(r -> r.uuid(uuid)).state(), state::equals);
  }

  private void assertQueueEmpty() {
    Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl)
            .attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
        .attributes();
    assertThat(attributes)
        .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")
        .containsEntry(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0");
  }

  record Call(SQSEvent event, String functionName, String functionArn, int remainingMillis) {}

  /** Records every invocation; its behaviour decides the response. */
  static final class Recorder implements RequestHandler<SQSEvent, SQSBatchResponse> {
    final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
    volatile BiFunction<SQSEvent, Call, SQSBatchResponse> behaviour =
        (event, call) -> new SQSBatchResponse(List.of());

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
      Call call = new Call(
          event,
          context.getFunctionName(),
          context.getInvokedFunctionArn(),
          context.getRemainingTimeInMillis());
      calls.add(call);
      return behaviour.apply(event, call);
    }
  }

  /** A handler that holds its batch until {@code release} opens, then reports every message done. */
  private static BiFunction<SQSEvent, Call, SQSBatchResponse> succeedOnceReleased(
      CountDownLatch release) {
    return (event, call) -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return new SQSBatchResponse(List.of());
    };
  }
}
