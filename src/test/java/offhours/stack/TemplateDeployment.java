package offhours.stack;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.local.auth.StackCredentials;
import offhours.local.lambda.LocalLambda;
import offhours.local.sagemaker.LocalSageMaker;
import offhours.testing.AnsweringContainer;
import offhours.testing.AwsServicesExtension.AwsServices;
import org.awaitility.Awaitility;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariant;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * template.yaml "deployed" on local services for one {@link FakeStack}: the bucket with its notification, the queues,
 * the tables (moto_server), the Model and EndpointConfig (the local SageMaker, serving a tiny in-JVM classifier) and
 * the Classify function's event source mapping (the local Lambda), each under the name the resolved template gives
 * it. The functions' handlers then run with {@link #recording} clients, whose calls {@link #recorder} keeps; the
 * other clients here set up and inspect, unrecorded.
 */
final class TemplateDeployment implements AutoCloseable {

  /** The fixed "now" of the controller's and the local SageMaker's clocks: Wednesday 10:00 in Berlin. */
  static final Instant NOW = Instant.parse("2026-01-14T09:00:00Z");

  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final String IMAGE = "offhours-test/classifier";

  /** The services every deployment shares: moto_server, one local SageMaker, one local Lambda. */
  static final class Services implements AutoCloseable {
    final AwsClients plain;
    final S3Client s3;
    final SqsClient sqs;
    final DynamoDbClient dynamo;
    final SageMakerClient sageMaker;
    final LambdaClient lambda;
    final CloudWatchLogsClient logs;
    final LocalSageMaker localSageMaker;
    final LocalLambda localLambda;

    Services(AwsServices aws) {
      // One pair of credentials for both local services, as a local stack has.
      AwsBasicCredentials credentials = StackCredentials.generate();
      localSageMaker = LocalSageMaker.builder()
          .region(Region.of(FakeStack.REGION))
          .accountId(FakeStack.ACCOUNT)
          .credentials(credentials)
          .clock(CLOCK)
          .creatingDelay(Duration.ofMillis(50))
          .deletingDelay(Duration.ofMillis(50))
          .container(IMAGE, spec -> AnsweringContainer.start("[0.05,0.05,0.8,0.05,0.05]"))
          .start();
      SqsClient pollerSqs = aws.clients().build(Service.SQS, SqsClient.builder());
      localLambda = LocalLambda.builder(pollerSqs)
          .region(FakeStack.REGION)
          .accountId(FakeStack.ACCOUNT)
          .credentials(credentials)
          .transitionDelay(Duration.ofMillis(50))
          .start();
      plain = AwsClients.local(
          Region.of(FakeStack.REGION),
          credentials,
          Map.of(
              Service.S3,
              aws.endpoint(),
              Service.SQS,
              aws.endpoint(),
              Service.DYNAMODB,
              aws.endpoint(),
              Service.SAGEMAKER,
              localSageMaker.endpoint(),
              Service.SAGEMAKER_RUNTIME,
              localSageMaker.endpoint(),
              Service.LAMBDA,
              localLambda.endpoint(),
              Service.LOGS,
              aws.endpoint()));
      s3 = plain.build(Service.S3, S3Client.builder().forcePathStyle(true));
      sqs = pollerSqs;
      dynamo = plain.build(Service.DYNAMODB, DynamoDbClient.builder());
      sageMaker = plain.build(Service.SAGEMAKER, SageMakerClient.builder());
      lambda = plain.build(Service.LAMBDA, LambdaClient.builder());
      logs = plain.build(Service.LOGS, CloudWatchLogsClient.builder());
    }

    @Override
    public void close() {
      localLambda.close();
      localSageMaker.close();
      s3.close();
      sqs.close();
      dynamo.close();
      sageMaker.close();
      lambda.close();
      logs.close();
      plain.close();
    }
  }

  final Services services;
  final StackResolver stack;
  final AwsCallRecorder recorder = new AwsCallRecorder();
  final AwsClients recording;
  final String bucket;
  final String queueUrl;
  final String queueArn;
  final String dlqUrl;
  final String endpointName;
  final String endpointConfigName;
  final String mappingUuid;
  /** What the event source mapping delivers to: the scenario's Classify handler, set by {@link #deliver}. */
  private final AtomicReference<RequestStreamHandler> classify;

  private TemplateDeployment(
      Services services,
      StackResolver stack,
      String mappingUuid,
      AtomicReference<RequestStreamHandler> classify) {
    this.services = services;
    this.stack = stack;
    this.recording = services.plain.withInterceptor(recorder);
    this.bucket = String.valueOf(stack.properties("ImagesBucket").get("BucketName"));
    this.queueUrl = services
        .sqs
        .getQueueUrl(r -> r.queueName(stack.stack().physicalId("ImagesQueue")))
        .queueUrl();
    this.queueArn = String.valueOf(stack.getAtt("ImagesQueue", "Arn"));
    this.dlqUrl = services
        .sqs
        .getQueueUrl(r -> r.queueName(stack.stack().physicalId("DeadLetterQueue")))
        .queueUrl();
    this.endpointName = String.valueOf(stack.properties("EndpointCleanup").get("EndpointName"));
    this.endpointConfigName = String.valueOf(stack.getAtt("EndpointConfig", "EndpointConfigName"));
    this.mappingUuid = mappingUuid;
    this.classify = classify;
  }

  /** Creates every resource of a new stack with these parameter values (on top of the template's defaults). */
  static TemplateDeployment deploy(
      Services services, Map<String, Object> template, Map<String, String> parameters) {
    Map<String, String> all = new HashMap<>(FakeStack.REQUIRED_PARAMETERS);
    all.putAll(parameters);
    FakeStack fake = FakeStack.create(all);
    StackResolver stack = new StackResolver(template, fake);

    String dlqName = fake.physicalId("DeadLetterQueue");
    String dlqUrl = services.sqs.createQueue(r -> r.queueName(dlqName)).queueUrl();
    String dlqArn = services
        .sqs
        .getQueueAttributes(r -> r.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes()
        .get(QueueAttributeName.QUEUE_ARN);
    if (!dlqArn.equals(stack.getAtt("DeadLetterQueue", "Arn"))) {
      throw new IllegalStateException("moto named the DLQ " + dlqArn + ", the template "
          + stack.getAtt("DeadLetterQueue", "Arn")
          + ": the FakeStack's account and region must be moto's");
    }
    services.sqs.createQueue(r -> r.queueName(fake.physicalId("ImagesQueue"))
        .attributes(Map.of(
            QueueAttributeName.REDRIVE_POLICY,
            "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"5\"}")));

    services.sqs.createQueue(r -> r.queueName(fake.physicalId("ControllerTimerQueue")));

    Map<String, Object> bucketProps = stack.properties("ImagesBucket");
    String bucket = String.valueOf(bucketProps.get("BucketName"));
    services.s3.createBucket(r -> r.bucket(bucket));
    List<QueueConfiguration> notifications = new ArrayList<>();
    Object configs =
        StackResolver.path(bucketProps, "NotificationConfiguration", "QueueConfigurations");
    int n = 0;
    for (Object c : StackResolver.list(configs)) {
      Map<String, Object> config = StackResolver.map(c);
      List<Object> rules =
          StackResolver.list(StackResolver.path(config, "Filter", "S3Key", "Rules"));
      String id = "rule-" + n++;
      notifications.add(QueueConfiguration.builder()
          .id(id)
          .queueArn(String.valueOf(config.get("Queue")))
          .events(Event.fromValue(String.valueOf(config.get("Event"))))
          .filter(f -> f.key(k -> k.filterRules(rules.stream()
              .map(StackResolver::map)
              .map(rule -> software.amazon.awssdk.services.s3.model.FilterRule.builder()
                  .name(String.valueOf(rule.get("Name")))
                  .value(String.valueOf(rule.get("Value")))
                  .build())
              .toList())))
          .build());
    }
    services.s3.putBucketNotificationConfiguration(
        r -> r.bucket(bucket).notificationConfiguration(c -> c.queueConfigurations(notifications)));

    services.dynamo.createTable(
        StackSpec.RESULTS_TABLE.createTableRequest(String.valueOf(stack.ref("ResultsTable"))));
    services.dynamo.createTable(
        StackSpec.CONTROL_TABLE.createTableRequest(String.valueOf(stack.ref("ControlTable"))));

    String model = String.valueOf(stack.getAtt("Model", "ModelName"));
    services.sageMaker.createModel(r -> r.modelName(model)
        .executionRoleArn(String.valueOf(stack.getAtt("SageMakerExecutionRole", "Arn")))
        .primaryContainer(c -> c.image(IMAGE)));
    services.sageMaker.createEndpointConfig(r -> r.endpointConfigName(
            String.valueOf(stack.getAtt("EndpointConfig", "EndpointConfigName")))
        .productionVariants(ProductionVariant.builder()
            .variantName(model) // named after its model, as template.yaml names it
            .modelName(model)
            .instanceType("ml.m5.large")
            .initialInstanceCount(1)
            .build()));
    if (stack.condition("IsScaleToZero")) {
      services.sageMaker.createEndpointConfig(r -> r.endpointConfigName(
              String.valueOf(stack.getAtt("ComponentEndpointConfig", "EndpointConfigName")))
          .executionRoleArn(String.valueOf(stack.getAtt("SageMakerExecutionRole", "Arn")))
          .productionVariants(ProductionVariant.builder()
              .variantName(model)
              .instanceType("ml.m5.large")
              .initialInstanceCount(1)
              .managedInstanceScaling(
                  m -> m.status("ENABLED").minInstanceCount(0).maxInstanceCount(1))
              .build()));
    }

    String function = String.valueOf(stack.ref("ClassifyFunction"));
    // Until a Classify scenario sets its handler, whatever the trigger delivers (the controller's
    // scenarios enable it) is acknowledged.
    AtomicReference<RequestStreamHandler> classify = new AtomicReference<>(
        (in, out, c) -> out.write("{\"batchItemFailures\":[]}".getBytes(StandardCharsets.UTF_8)));
    services.localLambda.registerFunction(
        function,
        (in, out, c) -> classify.get().handleRequest(in, out, c),
        Duration.ofSeconds(
            Long.parseLong(String.valueOf(stack.properties("ClassifyFunction").get("Timeout")))));
    // The trigger as the template declares it, but without the batching window: the scenarios do
    // not wait it out.
    Map<String, Object> trigger = StackResolver.map(
        StackResolver.path(stack.properties("ClassifyFunction"), "Events", "Queue", "Properties"));
    String uuid = services
        .lambda
        .createEventSourceMapping(r -> r.functionName(function)
            .eventSourceArn(String.valueOf(trigger.get("Queue")))
            .batchSize(Integer.parseInt(String.valueOf(trigger.get("BatchSize"))))
            .functionResponseTypesWithStrings(
                StackResolver.list(trigger.get("FunctionResponseTypes")).stream()
                    .map(String::valueOf)
                    .toList())
            .enabled(false))
        .uuid();
    // Lambda refuses to update a mapping while it is Creating: the scenarios start from a settled
    // one.
    await(
        "the new mapping Disabled",
        () -> services.lambda.getEventSourceMapping(r -> r.uuid(uuid)).state().equals("Disabled"));
    return new TemplateDeployment(
        services,
        new StackResolver(template, fake.withPhysicalId("ClassifyFunctionQueue", uuid)),
        uuid,
        classify);
  }

  /** The function's environment as template.yaml sets it for this stack. */
  Map<String, String> env(String function) {
    return stack.environment(function);
  }

  /** CreateEndpoint from the stack's config (unrecorded), optionally tagged, and waits until it is InService. */
  void startEndpoint(String configName, Map<String, String> tags) {
    services.sageMaker.createEndpoint(r -> r.endpointName(endpointName)
        .endpointConfigName(configName)
        .tags(tags.entrySet().stream()
            .map(t -> software.amazon.awssdk.services.sagemaker.model.Tag.builder()
                .key(t.getKey())
                .value(t.getValue())
                .build())
            .toList()));
    await("endpoint " + endpointName + " InService", () -> "InService".equals(endpointStatus()));
  }

  /**
   * Scale-to-zero (unrecorded): the endpoint from the component config, optionally tagged, and the stack's inference
   * component running {@code model} with one copy, InService.
   */
  void startComponent(String model, Map<String, String> tags) {
    startEndpoint(
        String.valueOf(stack.getAtt("ComponentEndpointConfig", "EndpointConfigName")), tags);
    String component = env("ControllerFunction").get("INFERENCE_COMPONENT_NAME");
    services.sageMaker.createInferenceComponent(r -> r.inferenceComponentName(component)
        .endpointName(endpointName)
        .variantName(String.valueOf(stack.getAtt("Model", "ModelName")))
        .specification(
            s -> s.modelName(model).computeResourceRequirements(c -> c.minMemoryRequiredInMb(1024)))
        .runtimeConfig(c -> c.copyCount(1)));
    await("component " + component + " with a copy", () -> componentCopies() == 1);
  }

  /** Creates log group {@code name} (unrecorded), as SageMaker does when the container first writes to it. */
  void createLogGroup(String name) {
    services.logs.createLogGroup(r -> r.logGroupName(name));
  }

  /** How long log group {@code name} keeps its events, read over the wire: "N days", "forever", or "absent". */
  String logRetention(String name) {
    return services.logs.describeLogGroups(r -> r.logGroupNamePrefix(name)).logGroups().stream()
        .filter(g -> g.logGroupName().equals(name))
        .findFirst()
        .map(g -> g.retentionInDays() == null ? "forever" : g.retentionInDays() + " days")
        .orElse("absent");
  }

  /** The stack's inference component's current copies; -1 when there is none. */
  int componentCopies() {
    try {
      var c = services.sageMaker.describeInferenceComponent(
          r -> r.inferenceComponentName(env("ControllerFunction").get("INFERENCE_COMPONENT_NAME")));
      return c.inferenceComponentStatusAsString().equals("InService")
          ? c.runtimeConfig().currentCopyCount()
          : -2;
    } catch (SageMakerException e) {
      return -1;
    }
  }

  /** The endpoint's variant's current instances (0 when it reports none), as the controller reads them. */
  int endpointInstances() {
    var variants =
        services.sageMaker.describeEndpoint(r -> r.endpointName(endpointName)).productionVariants();
    return variants.isEmpty() || variants.getFirst().currentInstanceCount() == null
        ? 0
        : variants.getFirst().currentInstanceCount();
  }

  String endpointStatus() {
    try {
      return services
          .sageMaker
          .describeEndpoint(r -> r.endpointName(endpointName))
          .endpointStatusAsString();
    } catch (SageMakerException e) {
      return "absent";
    }
  }

  String mappingState() {
    return services.lambda.getEventSourceMapping(r -> r.uuid(mappingUuid)).state();
  }

  /** Waits until the mapping is in {@code state} (Enabled, Disabled, ...). */
  void awaitMapping(String state) {
    await("the mapping " + state, () -> mappingState().equals(state));
  }

  /** Uploads a file from src/test/resources/images; S3 notifies the queue. */
  void upload(String key, String image) {
    services.s3.putObject(
        r -> r.bucket(bucket).key(key), java.nio.file.Path.of("src/test/resources/images", image));
  }

  /**
   * Lets the event source mapping deliver what the queue holds to {@code handler}, as Lambda would: enables the
   * trigger, waits until at least {@code uploads} records were delivered and nothing is left visible or in flight (the
   * notification's s3:TestEvent included; deferred copies wait their delay), then disables it again.
   */
  void deliver(RequestStreamHandler handler, int uploads) throws InterruptedException {
    classify.set(handler);
    services.lambda.updateEventSourceMapping(r -> r.uuid(mappingUuid).enabled(true));
    services.localLambda.await(
        mappingUuid, s -> s.delivered() >= uploads && queueSettled(), Duration.ofSeconds(90));
    services.lambda.updateEventSourceMapping(r -> r.uuid(mappingUuid).enabled(false));
    await("the trigger Disabled", () -> mappingState().equals("Disabled"));
  }

  private boolean queueSettled() {
    Map<QueueAttributeName, String> a = services
        .sqs
        .getQueueAttributes(r -> r.queueUrl(queueUrl)
            .attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
        .attributes();
    return "0".equals(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        && "0".equals(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  /** Takes every message off the queue (unrecorded), for a scenario that replaces them with its own. */
  List<Message> takeAll(int atLeast) {
    List<Message> messages = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (messages.size() < atLeast && System.nanoTime() < deadline) {
      for (Message m : services
          .sqs
          .receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
          .messages()) {
        services.sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
        messages.add(m);
      }
    }
    return messages;
  }

  /** The operations recorded so far, as "Service.Operation". */
  List<String> operations() {
    return recorder.calls().stream().map(c -> c.service() + "." + c.operation()).toList();
  }

  static void await(String what, BooleanSupplier condition) {
    Awaitility.await(what)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(condition::getAsBoolean);
  }

  /** A random name part, for resources outside the stack (a labels bucket). */
  static String unique() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  @Override
  public void close() {
    recording.close();
  }
}
