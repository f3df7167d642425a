package offhours.stack;

// Needs: moto_server (AwsServicesExtension); the local SageMaker and the local Lambda run in this
// JVM.

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import offhours.api.Api;
import offhours.api.ApiConfig;
import offhours.api.ApiHandler;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.classify.ClassifyConfig;
import offhours.classify.ClassifyHandler;
import offhours.endpoint.ControllerConfig;
import offhours.endpoint.ControllerHandler;
import offhours.endpoint.cfn.EndpointCleanupHandler;
import offhours.endpoint.cfn.LiveVersionsHandler;
import offhours.testing.AwsServicesExtension;
import offhours.testing.AwsServicesExtension.AwsServices;
import offhours.testing.LambdaContexts;
import offhours.testing.LambdaSqsJson;
import offhours.testing.StubHttpServer;
import offhours.testing.StubHttpServer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Every AWS call each Lambda function's code makes is permitted by that function's role in template.yaml, and the role
 * grants nothing more. Each function's real handler runs its scenarios against local services (moto_server, the local
 * SageMaker, the local Lambda) deployed under the names the resolved template gives; every SDK call is recorded, mapped
 * to its IAM action and resource ARN, and checked against the role as the same stack resolves it. A function in the
 * template without scenarios here fails, and so does a call without an IAM mapping, so neither can slip past.
 */
@ExtendWith(AwsServicesExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PermissionsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path EVENTS = Path.of("events");
  /** The parameters of a stack whose controller switches an inference component's copies. */
  private static final Map<String, String> SCALE_TO_ZERO = Map.of("Hosting", "scale-to-zero");

  /** One thing a function does on AWS, against a freshly deployed stack with these parameter values. */
  interface Body {
    void run(TemplateDeployment d) throws Exception;
  }

  record Scenario(String name, Map<String, String> parameters, Body body) {}

  private final Map<String, Object> template;
  private final TemplateDeployment.Services services;

  PermissionsIT(AwsServices aws) throws IOException {
    this.template = CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
    this.services = new TemplateDeployment.Services(aws);
  }

  @AfterAll
  void close() {
    services.close();
  }

  /** Every Lambda function of the template, after the SAM transform. */
  Stream<String> functions() {
    return StackResolver.map(template.get("Resources")).entrySet().stream()
        .filter(e -> List.of("AWS::Serverless::Function", "AWS::Lambda::Function")
            .contains(StackResolver.map(e.getValue()).get("Type")))
        .map(Map.Entry::getKey);
  }

  Map<String, List<Scenario>> scenarios() {
    return Map.of(
        "ClassifyFunction", classify(),
        "ControllerFunction",
            Stream.concat(controller().stream(), controllerScaleToZero().stream())
                .toList(),
        "EndpointCleanupFunction", cleanup(),
        "LiveVersionsFunction", liveVersions(),
        "ApiFunction", api());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("functions")
  void everyCallTheFunctionMakesIsGrantedAndEveryGrantIsUsed(String function) throws Exception {
    List<Scenario> scenarios = scenarios().get(function);
    assertThat(scenarios)
        .as(
            "scenarios of %s: a function added to template.yaml needs its scenarios in %s",
            function, PermissionsIT.class.getSimpleName())
        .isNotNull()
        .isNotEmpty();
    PermissionAudit audit = new PermissionAudit(function);
    for (Scenario scenario : scenarios) {
      try (TemplateDeployment d =
          TemplateDeployment.deploy(services, template, scenario.parameters())) {
        scenario.body().run(d);
        audit.add(d.stack, scenario.name(), d.recorder.calls());
      }
    }
    List<String> findings =
        Stream.concat(audit.missing().stream(), audit.surplus().stream()).toList();
    assertThat(findings)
        .as(
            "calls of %s that its role does not grant, and grants that none of its calls use",
            function)
        .isEmpty();
  }

  // ---------------------------------------------------------------- Classify

  private List<Scenario> classify() {
    return List.of(
        new Scenario("uploads classified on an InService endpoint", Map.of(), d -> {
          d.startEndpoint(d.endpointConfigName, Map.of());
          d.upload("photos/chelsea.png", "chelsea.png");
          d.upload("photos/rocket.jpg", "rocket.jpg");
          d.deliver(classifyHandler(d), 2);
          assertThat(d.operations())
              .contains("S3.GetObject", "SageMakerRuntime.InvokeEndpoint", "DynamoDb.PutItem");
        }),
        new Scenario(
            "an upload deleted before it was read gets the 'gone' verdict", Map.of(), d -> {
              d.startEndpoint(d.endpointConfigName, Map.of());
              d.upload("photos/deleted.png", "chelsea.png");
              d.services.s3.deleteObject(r -> r.bucket(d.bucket).key("photos/deleted.png"));
              d.deliver(classifyHandler(d), 1);
              assertThat(d.recorder.calls())
                  .anySatisfy(
                      c -> assertThat(c.toString()).isEqualTo("S3.GetObject -> 404 NoSuchKey"));
            }),
        new Scenario(
            "an upload encrypted with the uploader's own KMS key is decrypted through S3",
            Map.of(),
            d -> {
              d.startEndpoint(d.endpointConfigName, Map.of());
              String key = ownKey(d);
              d.services.s3.putObject(
                  r -> r.bucket(d.bucket)
                      .key("photos/own-key.png")
                      .serverSideEncryption("aws:kms")
                      .ssekmsKeyId(key),
                  Path.of("src/test/resources/images", "chelsea.png"));
              d.deliver(classifyHandler(d), 1);
              assertThat(d.recorder.calls())
                  .anySatisfy(c -> assertThat(c.kmsKeyId()).isEqualTo(key));
              assertThat(d.operations()).contains("DynamoDb.PutItem");
            }),
        new Scenario(
            "hosting serverless: each batch's invocation time goes to the ledger",
            Map.of("Hosting", "serverless"),
            d -> {
              d.startEndpoint(d.endpointConfigName, Map.of());
              d.upload("photos/chelsea.png", "chelsea.png");
              d.upload("photos/rocket.jpg", "rocket.jpg");
              d.deliver(classifyHandler(d), 2);
              assertThat(d.operations())
                  .contains(
                      "SageMakerRuntime.InvokeEndpoint",
                      "DynamoDb.PutItem",
                      "DynamoDb.TransactWriteItems");
            }),
        new Scenario(
            "the endpoint is off: the batch is deferred back to the queue", Map.of(), d -> {
              d.upload("photos/waiting.png", "chelsea.png");
              d.deliver(classifyHandler(d), 1);
              assertThat(d.operations())
                  .contains("SageMakerRuntime.InvokeEndpoint", "Sqs.SendMessage");
            }),
        new Scenario(
            "an upload past MaxDeferrals while the endpoint is off: retried after its retry pause",
            Map.of("MaxDeferrals", "1"),
            d -> {
              d.upload("photos/spent.png", "chelsea.png");
              String body = d.takeAll(1).stream()
                  .map(Message::body)
                  .filter(b -> b.contains("ObjectCreated"))
                  .findFirst()
                  .orElseThrow();
              // As the copy of its last deferral, then received as the event source mapping
              // receives it (unrecorded): the handler gets this receive's handle.
              d.services.sqs.sendMessage(r -> r.queueUrl(d.queueUrl)
                  .messageBody(body)
                  .messageAttributes(Map.of(
                      "offhours-deferrals",
                      software.amazon.awssdk.services.sqs.model.MessageAttributeValue.builder()
                          .dataType("Number")
                          .stringValue("1")
                          .build())));
              Message received = d.services
                  .sqs
                  .receiveMessage(r -> r.queueUrl(d.queueUrl)
                      .waitTimeSeconds(5)
                      .messageSystemAttributeNamesWithStrings("All")
                      .messageAttributeNames("All"))
                  .messages()
                  .getFirst();
              SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
              record.setMessageId(received.messageId());
              record.setReceiptHandle(received.receiptHandle());
              record.setBody(received.body());
              record.setAttributes(new HashMap<>(received.attributesAsStrings()));
              SQSEvent.MessageAttribute deferrals = new SQSEvent.MessageAttribute();
              deferrals.setDataType("Number");
              deferrals.setStringValue("1");
              record.setMessageAttributes(Map.of("offhours-deferrals", deferrals));
              record.setEventSourceArn(d.queueArn);
              SQSEvent event = new SQSEvent();
              event.setRecords(List.of(record));
              assertThat(LambdaSqsJson.invoke(classifyHandler(d), event).getBatchItemFailures())
                  .hasSize(1);
              assertThat(d.operations())
                  .contains("SageMakerRuntime.InvokeEndpoint", "Sqs.ChangeMessageVisibilityBatch")
                  .doesNotContain("Sqs.SendMessage");
            }),
        new Scenario(
            "scale-to-zero: uploads classified through the inference component",
            SCALE_TO_ZERO,
            d -> {
              d.startComponent(model(d), Map.of());
              d.upload("photos/chelsea.png", "chelsea.png");
              d.deliver(classifyHandler(d), 1);
              assertThat(d.operations())
                  .contains("SageMakerRuntime.InvokeEndpoint", "DynamoDb.PutItem");
            }),
        new Scenario(
            "scale-to-zero: no copy ('no capacity'), the batch is deferred, no verdict",
            SCALE_TO_ZERO,
            d -> {
              d.startComponent(model(d), Map.of());
              d.services.sageMaker.updateInferenceComponentRuntimeConfig(
                  r -> r.inferenceComponentName(
                          d.env("ClassifyFunction").get("INFERENCE_COMPONENT_NAME"))
                      .desiredRuntimeConfig(c -> c.copyCount(0)));
              TemplateDeployment.await("no copy", () -> d.componentCopies() == 0);
              d.upload("photos/asleep.png", "chelsea.png");
              d.deliver(classifyHandler(d), 1);
              assertThat(d.recorder.calls())
                  .anySatisfy(c -> assertThat(c.toString())
                      .isEqualTo("SageMakerRuntime.InvokeEndpoint -> 400 ValidationError"));
              assertThat(d.operations())
                  .contains("Sqs.SendMessage")
                  .doesNotContain("DynamoDb.PutItem");
            }),
        new Scenario("labels read from LabelsS3Uri at init", labelsBucket(), d -> {
          putLabels(d);
          d.startEndpoint(d.endpointConfigName, Map.of());
          d.upload("photos/chelsea.png", "chelsea.png");
          d.deliver(classifyHandler(d), 1);
          assertThat(d.operations()).startsWith("S3.GetObject").contains("DynamoDb.PutItem");
        }),
        labelsUnderOwnKey(d -> classifyHandler(d)),
        new Scenario(
            "the bucket's owner turned versioning on: the event's version is read", Map.of(), d -> {
              d.services.s3.putBucketVersioning(r -> r.bucket(d.bucket)
                  .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
              d.startEndpoint(d.endpointConfigName, Map.of());
              d.upload("photos/versioned.png", "chelsea.png");
              String version = d.services
                  .s3
                  .headObject(r -> r.bucket(d.bucket).key("photos/versioned.png"))
                  .versionId();
              // S3 names the version in s3.object.versionId for a versioned bucket; moto leaves it
              // out, so the notification is sent again as S3 would have sent it.
              for (var m : d.takeAll(1)) {
                JsonNode body = JSON.readTree(m.body());
                if (body.has("Records")) {
                  ((com.fasterxml.jackson.databind.node.ObjectNode) body.at("/Records/0/s3/object"))
                      .put("versionId", version);
                  d.services.sqs.sendMessage(
                      r -> r.queueUrl(d.queueUrl).messageBody(body.toString()));
                }
              }
              d.deliver(classifyHandler(d), 1);
              assertThat(d.recorder.calls())
                  .anySatisfy(
                      c -> assertThat(c.request().getValueForField("VersionId", String.class))
                          .contains(version));
            }),
        new Scenario("SnapStart priming before the snapshot", Map.of(), d -> {
          d.startEndpoint(d.endpointConfigName, Map.of());
          classifyHandler(d).beforeCheckpoint(null);
          assertThat(d.operations())
              .contains(
                  "S3.GetObject",
                  "DynamoDb.PutItem",
                  "SageMakerRuntime.InvokeEndpoint",
                  "Sqs.ChangeMessageVisibilityBatch",
                  "Sqs.SendMessage");
        }));
  }

  private static Map<String, String> labelsBucket() {
    return Map.of(
        "Labels",
        "",
        "LabelsS3Uri",
        "s3://offhours-labels-" + TemplateDeployment.unique() + "/labels.txt");
  }

  /** The labels file {@link #labelsBucket} names, in a bucket of its own, as a user keeps it. */
  private static void putLabels(TemplateDeployment d) {
    putLabels(d, null);
  }

  /** As above, S3 encrypting the file with the KMS key {@code kmsKey} (SSE-KMS) when it is not null. */
  private static void putLabels(TemplateDeployment d, String kmsKey) {
    String uri = d.stack.parameters().get("LabelsS3Uri");
    String bucket = uri.substring("s3://".length(), uri.indexOf('/', "s3://".length()));
    d.services.s3.createBucket(r -> r.bucket(bucket));
    d.services.s3.putObject(
        r -> {
          r.bucket(bucket).key("labels.txt");
          if (kmsKey != null) {
            r.serverSideEncryption("aws:kms").ssekmsKeyId(kmsKey);
          }
        },
        RequestBody.fromString("Drawing\nHentai\nNeutral\nPorn\nSexy\n", StandardCharsets.UTF_8));
  }

  /** A customer-managed KMS key of the stack's account and region, as a user encrypts an object with. */
  private static String ownKey(TemplateDeployment d) {
    return "arn:" + d.stack.stack().partition() + ":kms:" + d.stack.stack().region() + ":"
        + d.stack.stack().account() + ":key/1234abcd-12ab-34cd-56ef-1234567890ab";
  }

  /**
   * The labels file under a customer-managed KMS key: read at init, S3 decrypting it with the function's own
   * kms:Decrypt ({@code run} starts the function and makes one call).
   */
  private static Scenario labelsUnderOwnKey(Body run) {
    return new Scenario(
        "labels read at init from a LabelsS3Uri file under a customer-managed KMS key",
        labelsBucket(),
        d -> {
          String key = ownKey(d);
          putLabels(d, key);
          run.run(d);
          assertThat(d.recorder.calls())
              .first()
              .satisfies(c -> assertThat(c.operation()).isEqualTo("GetObject"))
              .satisfies(c -> assertThat(c.kmsKeyId()).isEqualTo(key));
        });
  }

  /** The Classify handler as Lambda builds it: its environment from the template, clients from the one factory. */
  private static ClassifyHandler classifyHandler(TemplateDeployment d) {
    return new ClassifyHandler(
        d.recording.build(Service.S3, S3Client.builder().forcePathStyle(true)),
        d.recording.build(Service.SQS, SqsClient.builder()),
        d.recording.build(Service.DYNAMODB, DynamoDbClient.builder()),
        d.recording.build(Service.SAGEMAKER_RUNTIME, SageMakerRuntimeClient.builder()),
        ClassifyConfig.fromEnv(d.env("ClassifyFunction")),
        Clock.systemUTC());
  }

  // ---------------------------------------------------------------- the controller

  private List<Scenario> controller() {
    return List.of(
        new Scenario(
            "start, readiness probe, enable, tick, stop, drain, delete, auto", Map.of(), d -> {
              ControllerFunction controller = controllerFunction(d);
              Map<String, Object> started = controller.invoke("controller-start.json");
              assertThat(started).containsEntry("action", "CREATE_ENDPOINT");
              TemplateDeployment.await(
                  "the created endpoint InService", () -> d.endpointStatus().equals("InService"));
              // SageMaker creates the container's log group, to keep its events forever.
              String logs = "/aws/sagemaker/Endpoints/" + d.endpointName;
              d.createLogGroup(logs);
              assertThat(d.logRetention(logs)).isEqualTo("forever");
              Map<String, Object> enabled =
                  controller.invoke("sagemaker-endpoint-state-change.json");
              assertThat(enabled)
                  .containsEntry("action", "ENABLE_MAPPING")
                  .containsEntry("outcome", "ok");
              assertThat(d.logRetention(logs))
                  .as("the stack's LogRetentionDays")
                  .isEqualTo("30 days");
              d.awaitMapping("Enabled");
              assertThat(controller.invoke("scheduler-tick.json")).containsEntry("action", "NONE");
              // A stop in progress wants a run 10 s later: the controller arms its timer queue.
              assertThat(controller.invoke("controller-stop.json"))
                  .containsEntry("action", "DISABLE_MAPPING")
                  .containsEntry("timer", "timer armed for 2026-01-14T09:00:10Z (DelaySeconds 10)");
              assertThat(d.operations()).contains("Sqs.SendMessage");
              d.awaitMapping("Disabled");
              assertThat(controller.invoke("sqs-controller-timer.json"))
                  .containsEntry("action", "DELETE_ENDPOINT");
              controller.invoke("controller-auto.json");
            }),
        new Scenario(
            "a stack an older version's controller ran: this version's first run records the"
                + " ledger's start at midnight of the ledger's first day (a Query)",
            Map.of(),
            d -> {
              String control = d.env("ControllerFunction").get("CONTROL_TABLE_NAME");
              java.time.ZoneId zone =
                  ControllerConfig.fromEnvironment(d.env("ControllerFunction")).zone();
              controllerFunction(d).invoke("scheduler-tick.json");
              // What an older version leaves: a state of runs, ledger days, and no ledger start.
              d.services.dynamo.deleteItem(r -> r.tableName(control)
                  .key(Map.of(
                      "pk",
                      software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                          "controller"),
                      "sk",
                      software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                          "ledgerStart"))));
              offhours.endpoint.DynamoControlTable table =
                  new offhours.endpoint.DynamoControlTable(d.services.dynamo, control);
              table.add(new offhours.endpoint.Ledger.Day(
                  java.time.LocalDate.parse("2026-01-05"), 3600, 0, 1, 1));

              controllerFunction(d).invoke("scheduler-tick.json"); // a new container's first run

              assertThat(table.started())
                  .contains(
                      java.time.LocalDate.parse("2026-01-05").atStartOfDay(zone).toInstant());
              assertThat(d.operations()).contains("DynamoDb.Query");
            }),
        // The readiness probe checks the model's answer against the labels, which the controller
        // reads once, when Lambda starts its container (ControllerHandler.withLabels).
        new Scenario("labels read from LabelsS3Uri at init", labelsBucket(), d -> {
          putLabels(d);
          controllerFunction(d).invoke("scheduler-tick.json");
          assertThat(d.operations()).startsWith("S3.GetObject");
        }),
        labelsUnderOwnKey(d -> controllerFunction(d).invoke("scheduler-tick.json")),
        new Scenario(
            "hosting serverless: the stack's endpoint is probed and fed, never created nor deleted;"
                + " its container's log group gets LogRetentionDays",
            Map.of("Hosting", "serverless", "LogRetentionDays", "7"),
            d -> {
              d.startEndpoint(
                  d.endpointConfigName,
                  Map.of(
                      offhours.endpoint.SageMakerEndpoint.STACK_TAG,
                      d.stack.stack().stackId()));
              // A serverless endpoint's container logs to the same group as an instance-backed one.
              String logs = "/aws/sagemaker/Endpoints/" + d.endpointName;
              d.createLogGroup(logs);
              ControllerFunction controller = controllerFunction(d);
              assertThat(controller.invoke("scheduler-tick.json"))
                  .containsEntry("action", "ENABLE_MAPPING")
                  .containsEntry("outcome", "ok");
              // SageMaker bills the test invocation like Classify's: it is in the day's ledger
              // item.
              String control = d.env("ControllerFunction").get("CONTROL_TABLE_NAME");
              assertThat(d.services
                      .dynamo
                      .query(r -> r.tableName(control)
                          .keyConditionExpression("pk = :pk")
                          .expressionAttributeValues(Map.of(
                              ":pk",
                              software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                                  "ledger"))))
                      .items())
                  .singleElement()
                  .satisfies(day -> assertThat(day.get("invocations").n()).isEqualTo("1"));
              assertThat(d.logRetention(logs)).isEqualTo("7 days");
              d.awaitMapping("Enabled");
              assertThat(controller.invoke("controller-stop.json"))
                  .containsEntry("action", "DISABLE_MAPPING");
              assertThat(d.operations())
                  .doesNotContain("SageMaker.CreateEndpoint", "SageMaker.DeleteEndpoint");
            }),
        new Scenario(
            "hosting serverless, updated while it served: the new controller's first run sets the"
                + " container's log retention once",
            Map.of("Hosting", "serverless"),
            d -> {
              d.startEndpoint(
                  d.endpointConfigName,
                  Map.of(
                      offhours.endpoint.SageMakerEndpoint.STACK_TAG,
                      d.stack.stack().stackId()));
              d.services.lambda.updateEventSourceMapping(
                  r -> r.uuid(d.mappingUuid).enabled(true));
              d.awaitMapping("Enabled");
              String logs = "/aws/sagemaker/Endpoints/" + d.endpointName;
              d.createLogGroup(logs);
              ControllerFunction controller = controllerFunction(d);
              assertThat(controller.invoke("scheduler-tick.json"))
                  .containsEntry("action", "NONE")
                  .containsEntry("outcome", "ok");
              assertThat(d.logRetention(logs)).isEqualTo("30 days");
              controller.invoke("scheduler-tick.json");
              assertThat(d.operations())
                  .as("set once by this process, not at every run")
                  .containsOnlyOnce("CloudWatchLogs.PutRetentionPolicy");
            }),
        new Scenario(
            "an endpoint this stack did not create is reported, never fed", Map.of(), d -> {
              d.startEndpoint(d.endpointConfigName, Map.of());
              Map<String, Object> decision = controllerFunction(d).invoke("controller-start.json");
              assertThat(decision)
                  .containsEntry("action", "NONE")
                  .containsEntry("foreignEndpoint", true);
              assertThat(d.operations())
                  .doesNotContain(
                      "SageMaker.CreateEndpoint",
                      "SageMaker.DeleteEndpoint",
                      "SageMakerRuntime.InvokeEndpoint",
                      "Lambda.UpdateEventSourceMapping");
            }),
        fromServerless(Map.of()),
        new Scenario(
            "switched from scale-to-zero: the component goes first, then the endpoint, then this"
                + " hosting's is created",
            Map.of(),
            d -> {
              String suffix = d.endpointName.substring("offhours-endpoint".length());
              String component = "offhours-component" + suffix;
              String old = d.endpointConfigName + "-components";
              String model = model(d);
              d.services.sageMaker.createEndpointConfig(r -> r.endpointConfigName(old)
                  .executionRoleArn(String.valueOf(d.stack.getAtt("SageMakerExecutionRole", "Arn")))
                  .productionVariants(
                      software.amazon.awssdk.services.sagemaker.model.ProductionVariant.builder()
                          .variantName(model)
                          .instanceType("ml.m5.large")
                          .initialInstanceCount(1)
                          .managedInstanceScaling(
                              m -> m.status("ENABLED").minInstanceCount(0).maxInstanceCount(1))
                          .build()));
              d.startEndpoint(old, Map.of("offhours:stack-id", d.stack.stack().stackId()));
              d.services.sageMaker.createInferenceComponent(r -> r.inferenceComponentName(component)
                  .endpointName(d.endpointName)
                  .variantName(model)
                  .specification(s -> s.modelName(model)
                      .computeResourceRequirements(c -> c.minMemoryRequiredInMb(1024)))
                  .runtimeConfig(c -> c.copyCount(1)));
              java.util.function.Supplier<String> componentStatus = () -> {
                try {
                  return d.services
                      .sageMaker
                      .describeInferenceComponent(r -> r.inferenceComponentName(component))
                      .inferenceComponentStatusAsString();
                } catch (software.amazon.awssdk.services.sagemaker.model.SageMakerException e) {
                  return "absent";
                }
              };
              TemplateDeployment.await(
                  "the component InService", () -> componentStatus.get().equals("InService"));
              ControllerFunction controller = controllerFunction(d);
              assertThat(controller.invoke("controller-start.json"))
                  .containsEntry("action", "DELETE_ENDPOINT");
              TemplateDeployment.await(
                  "the component gone", () -> componentStatus.get().equals("absent"));
              assertThat(controller.invoke("scheduler-tick.json"))
                  .containsEntry("action", "DELETE_ENDPOINT");
              TemplateDeployment.await(
                  "the old endpoint gone", () -> d.endpointStatus().equals("absent"));
              assertThat(controller.invoke("scheduler-tick.json"))
                  .containsEntry("action", "CREATE_ENDPOINT");
              assertThat(d.operations())
                  .containsSubsequence(
                      "SageMaker.DeleteInferenceComponent",
                      "SageMaker.DeleteEndpoint",
                      "SageMaker.CreateEndpoint");
            }),
        new Scenario(
            "a stack update replaced the endpoint config: pause, drain, replace, probe, enable",
            Map.of(),
            d -> {
              String old = d.endpointConfigName + "-old";
              d.services.sageMaker.createEndpointConfig(r -> r.endpointConfigName(old)
                  .productionVariants(
                      software.amazon.awssdk.services.sagemaker.model.ProductionVariant.builder()
                          .variantName("AllTraffic")
                          .modelName(String.valueOf(d.stack.getAtt("Model", "ModelName")))
                          .instanceType("ml.m5.large")
                          .initialInstanceCount(1)
                          .build()));
              d.startEndpoint(old, Map.of("offhours:stack-id", d.stack.stack().stackId()));
              d.services.lambda.updateEventSourceMapping(
                  r -> r.uuid(d.mappingUuid).enabled(true));
              d.awaitMapping("Enabled");
              ControllerFunction controller = controllerFunction(d);
              assertThat(controller.invoke("controller-start.json"))
                  .containsEntry("action", "DISABLE_MAPPING");
              d.awaitMapping("Disabled");
              assertThat(controller.invoke("scheduler-tick.json"))
                  .containsEntry("action", "DELETE_ENDPOINT");
              TemplateDeployment.await(
                  "the old endpoint gone", () -> d.endpointStatus().equals("absent"));
              assertThat(controller.invoke("scheduler-tick.json"))
                  .containsEntry("action", "CREATE_ENDPOINT");
              TemplateDeployment.await(
                  "the new endpoint InService", () -> d.endpointStatus().equals("InService"));
              assertThat(controller.invoke("scheduler-tick.json"))
                  .containsEntry("action", "ENABLE_MAPPING")
                  .containsEntry("endpointConfig", d.endpointConfigName);
            }));
  }

  /**
   * A stack updated from Hosting=serverless: until the update's cleanup deletes the stack's serverless endpoint (tagged
   * with the stack's id, under the controller's name), the controller pauses the trigger and waits, deleting and
   * creating nothing; once CloudFormation deleted it, the controller creates its own.
   */
  private static Scenario fromServerless(Map<String, String> parameters) {
    return new Scenario(
        "switched from serverless (" + parameters + "): the stack's serverless endpoint is left to"
            + " CloudFormation, then replaced by this hosting's",
        parameters,
        d -> {
          String old = d.endpointConfigName + "-serverless";
          d.services.sageMaker.createEndpointConfig(r -> r.endpointConfigName(old)
              .productionVariants(
                  software.amazon.awssdk.services.sagemaker.model.ProductionVariant.builder()
                      .variantName("AllTraffic")
                      .modelName(String.valueOf(d.stack.getAtt("Model", "ModelName")))
                      .serverlessConfig(c -> c.memorySizeInMB(2048).maxConcurrency(10))
                      .build()));
          d.startEndpoint(old, Map.of("offhours:stack-id", d.stack.stack().stackId()));
          d.services.lambda.updateEventSourceMapping(r -> r.uuid(d.mappingUuid).enabled(true));
          d.awaitMapping("Enabled");
          ControllerFunction controller = controllerFunction(d);
          assertThat(controller.invoke("controller-start.json"))
              .containsEntry("action", "DISABLE_MAPPING");
          d.awaitMapping("Disabled");
          assertThat(controller.invoke("scheduler-tick.json")).containsEntry("action", "WAIT");
          assertThat(d.operations())
              .doesNotContain(
                  "SageMaker.CreateEndpoint",
                  "SageMaker.DeleteEndpoint",
                  "SageMaker.CreateInferenceComponent",
                  "SageMaker.DeleteInferenceComponent",
                  "SageMakerRuntime.InvokeEndpoint");
          assertThat(d.endpointStatus()).isEqualTo("InService");
          // The update's cleanup (UPDATE_COMPLETE_CLEANUP_IN_PROGRESS) deletes ServerlessEndpoint.
          d.services.sageMaker.deleteEndpoint(r -> r.endpointName(d.endpointName));
          TemplateDeployment.await(
              "the serverless endpoint gone", () -> d.endpointStatus().equals("absent"));
          assertThat(controller.invoke("scheduler-tick.json"))
              .containsEntry("action", "CREATE_ENDPOINT");
          TemplateDeployment.await(
              "this hosting's endpoint InService", () -> d.endpointStatus().equals("InService"));
          assertThat(d.services
                  .sageMaker
                  .describeEndpoint(r -> r.endpointName(d.endpointName))
                  .endpointConfigName())
              .isEqualTo(d.env("ControllerFunction").get("ENDPOINT_CONFIG_NAME"));
        });
  }

  private static List<Scenario> controllerScaleToZero() {
    return List.of(
        fromServerless(SCALE_TO_ZERO),
        new Scenario(
            "scale-to-zero: endpoint, component, probe, enable, stop to 0 copies, wake",
            SCALE_TO_ZERO,
            d -> {
              ControllerFunction controller = controllerFunction(d);
              assertThat(controller.invoke("controller-start.json"))
                  .containsEntry("action", "CREATE_ENDPOINT");
              TemplateDeployment.await(
                  "the created endpoint InService", () -> d.endpointStatus().equals("InService"));
              assertThat(controller.invoke("scheduler-tick.json"))
                  .containsEntry("action", "CREATE_ENDPOINT");
              TemplateDeployment.await("the component with a copy", () -> d.componentCopies() == 1);
              // The component's container logs to its own group; the endpoint's does not exist,
              // which the controller passes over without a word (nothing is stored there).
              String logs = "/aws/sagemaker/InferenceComponents/"
                  + d.env("ControllerFunction").get("INFERENCE_COMPONENT_NAME");
              d.createLogGroup(logs);
              assertThat(controller.invoke("scheduler-tick.json"))
                  .containsEntry("action", "ENABLE_MAPPING")
                  .containsEntry("outcome", "ok");
              assertThat(d.logRetention(logs)).isEqualTo("30 days");
              assertThat(d.logRetention("/aws/sagemaker/Endpoints/" + d.endpointName))
                  .isEqualTo("absent");
              assertThat(d.recorder.calls())
                  .anySatisfy(c -> assertThat(c.toString())
                      .isEqualTo(
                          "CloudWatchLogs.PutRetentionPolicy -> 400 ResourceNotFoundException"));
              d.awaitMapping("Enabled");
              assertThat(controller.invoke("controller-stop.json"))
                  .containsEntry("action", "DISABLE_MAPPING");
              d.awaitMapping("Disabled");
              assertThat(controller.invoke("scheduler-tick.json"))
                  .containsEntry("action", "DELETE_ENDPOINT");
              // Asleep, as the controller reads it: no copy, and managed instance scaling has
              // removed the instance.
              TemplateDeployment.await(
                  "no copy on no instance",
                  () -> d.componentCopies() == 0 && d.endpointInstances() == 0);
              assertThat(d.endpointStatus()).isEqualTo("InService");
              assertThat(controller.invoke("controller-start.json"))
                  .containsEntry("action", "CREATE_ENDPOINT");
              assertThat(d.operations())
                  .contains(
                      "SageMaker.CreateInferenceComponent",
                      "SageMaker.UpdateInferenceComponentRuntimeConfig")
                  .doesNotContain("SageMaker.DeleteEndpoint");
            }),
        new Scenario(
            "scale-to-zero: a component of an older model is replaced", SCALE_TO_ZERO, d -> {
              String old = model(d) + "-old";
              d.services.sageMaker.createModel(r -> r.modelName(old)
                  .executionRoleArn(String.valueOf(d.stack.getAtt("SageMakerExecutionRole", "Arn")))
                  .primaryContainer(c -> c.image(TemplateDeployment.IMAGE)));
              d.startComponent(old, Map.of("offhours:stack-id", d.stack.stack().stackId()));
              ControllerFunction controller = controllerFunction(d);
              assertThat(controller.invoke("controller-start.json"))
                  .containsEntry("action", "DELETE_ENDPOINT");
              TemplateDeployment.await("the old component gone", () -> d.componentCopies() == -1);
              assertThat(controller.invoke("scheduler-tick.json"))
                  .containsEntry("action", "CREATE_ENDPOINT");
              assertThat(d.operations())
                  .contains(
                      "SageMaker.DeleteInferenceComponent", "SageMaker.CreateInferenceComponent");
            }));
  }

  private static String model(TemplateDeployment d) {
    return String.valueOf(d.stack.getAtt("Model", "ModelName"));
  }

  /** The controller function as Lambda runs it: one handler, each call one invocation on an event of events/. */
  interface ControllerFunction {
    Map<String, Object> invoke(String eventFile) throws IOException;
  }

  /** The controller function with the recording clients. */
  private static ControllerFunction controllerFunction(TemplateDeployment d) {
    return controllerFunction(d.recording, d);
  }

  private static ControllerFunction controllerFunction(
      offhours.aws.AwsClients clients, TemplateDeployment d) {
    ControllerHandler handler = new ControllerHandler(
        clients,
        ControllerConfig.fromEnvironment(d.env("ControllerFunction")),
        TemplateDeployment.CLOCK);
    return eventFile -> handler.handleRequest(event(eventFile), context(d, "ControllerFunction"));
  }

  // ---------------------------------------------------------------- the HTTP API

  private List<Scenario> api() {
    return List.of(
        new Scenario("POST /classify while the endpoint answers: the labels now", Map.of(), d -> {
          d.startEndpoint(d.endpointConfigName, Map.of());
          assertThat(apiCall(d, "POST", "/classify", "")).containsEntry("statusCode", 200);
          assertThat(d.operations()).contains("SageMakerRuntime.InvokeEndpoint");
        }),
        new Scenario(
            "scale-to-zero: POST /classify through the inference component", SCALE_TO_ZERO, d -> {
              d.startComponent(model(d), Map.of());
              assertThat(apiCall(d, "POST", "/classify", "")).containsEntry("statusCode", 200);
              assertThat(d.operations()).contains("SageMakerRuntime.InvokeEndpoint");
            }),
        new Scenario(
            "hosting serverless: POST /classify's invocation goes to the ledger",
            Map.of("Hosting", "serverless"),
            d -> {
              d.startEndpoint(d.endpointConfigName, Map.of());
              assertThat(apiCall(d, "POST", "/classify", "")).containsEntry("statusCode", 200);
              assertThat(d.operations())
                  .contains("SageMakerRuntime.InvokeEndpoint", "DynamoDb.TransactWriteItems");
            }),
        new Scenario(
            "POST /classify while the endpoint is off: stored under api/ for the queue",
            Map.of(),
            d -> {
              assertThat(apiCall(d, "POST", "/classify", "")).containsEntry("statusCode", 202);
              assertThat(d.operations())
                  .contains("SageMakerRuntime.InvokeEndpoint", "S3.PutObject");
            }),
        new Scenario(
            "GET /status, the results of a key, by label, and a page of all", Map.of(), d -> {
              d.startEndpoint(d.endpointConfigName, Map.of());
              d.upload("photos/chelsea.png", "chelsea.png");
              // Classified by Classify with clients that are not recorded: only the API's calls
              // count here.
              d.deliver(
                  new ClassifyHandler(
                      d.services.plain.build(Service.S3, S3Client.builder().forcePathStyle(true)),
                      d.services.plain.build(Service.SQS, SqsClient.builder()),
                      d.services.plain.build(Service.DYNAMODB, DynamoDbClient.builder()),
                      d.services.plain.build(
                          Service.SAGEMAKER_RUNTIME, SageMakerRuntimeClient.builder()),
                      ClassifyConfig.fromEnv(d.env("ClassifyFunction")),
                      Clock.systemUTC()),
                  1);
              d.recorder.clear();
              controllerFunction(d.services.plain, d).invoke("scheduler-tick.json");
              d.recorder.clear();
              assertThat(apiCall(d, "GET", "/status", "")).containsEntry("statusCode", 200);
              assertThat(apiCall(d, "GET", "/results/photos/chelsea.png", ""))
                  .containsEntry("statusCode", 200);
              assertThat(apiCall(d, "GET", "/results", "object=photos/chelsea.png"))
                  .containsEntry("statusCode", 200);
              assertThat(apiCall(d, "GET", "/results", "label=Neutral&limit=5"))
                  .containsEntry("statusCode", 200);
              assertThat(apiCall(d, "GET", "/results", "limit=5")).containsEntry("statusCode", 200);
              assertThat(d.operations())
                  .as("an object with a result is still asked for its current version")
                  .contains(
                      "S3.HeadObject",
                      "Sqs.GetQueueAttributes",
                      "DynamoDb.GetItem",
                      "DynamoDb.Query")
                  .as("a page of all results reads the indexes, never the whole table")
                  .doesNotContain("DynamoDb.Scan", "DynamoDb.BatchGetItem");
              assertThat(d.recorder.calls())
                  .filteredOn(c -> c.request() instanceof QueryRequest)
                  .extracting(c -> ((QueryRequest) c.request()).indexName())
                  .contains("byLabel", "byStatus");
            }),
        new Scenario(
            "GET /results/{key} of an object that does not exist: 404, not 403", Map.of(), d -> {
              assertThat(apiCall(d, "GET", "/results/photos/never-uploaded.png", ""))
                  .containsEntry("statusCode", 404);
              assertThat(d.recorder.calls())
                  .anySatisfy(c -> assertThat(c.toString()).startsWith("S3.HeadObject -> 404"));
            }),
        new Scenario("labels read from LabelsS3Uri at init", labelsBucket(), d -> {
          putLabels(d);
          d.startEndpoint(d.endpointConfigName, Map.of());
          assertThat(apiCall(d, "POST", "/classify", "")).containsEntry("statusCode", 200);
          assertThat(d.operations()).startsWith("S3.GetObject");
        }),
        labelsUnderOwnKey(d -> {
          d.startEndpoint(d.endpointConfigName, Map.of());
          assertThat(apiCall(d, "POST", "/classify", "")).containsEntry("statusCode", 200);
        }));
  }

  /**
   * One request through the API function as API Gateway delivers it (payload format 2.0, from the fixtures in
   * events/), with the function's environment from the template and the recording clients; the response's fields.
   */
  private Map<String, Object> apiCall(
      TemplateDeployment d, String method, String path, String query) throws Exception {
    boolean post = method.equals("POST");
    Map<String, Object> event =
        new LinkedHashMap<>(event(post ? "api-post-classify.json" : "api-get-result.json"));
    String route = post
        ? "POST /classify"
        : path.startsWith("/results/") ? "GET /results/{key+}" : "GET " + path;
    event.put("routeKey", route);
    event.put("rawPath", path);
    event.put("rawQueryString", query);
    @SuppressWarnings("unchecked")
    Map<String, Object> context =
        new LinkedHashMap<>((Map<String, Object>) event.get("requestContext"));
    @SuppressWarnings("unchecked")
    Map<String, Object> http = new LinkedHashMap<>((Map<String, Object>) context.get("http"));
    http.put("method", method);
    http.put("path", path);
    context.put("http", http);
    context.put("routeKey", route);
    event.put("requestContext", context);
    if (!query.isEmpty()) {
      Map<String, String> parameters = new LinkedHashMap<>();
      for (String pair : query.split("&")) {
        parameters.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
      }
      event.put("queryStringParameters", parameters);
    }
    if (path.startsWith("/results/")) {
      event.put("pathParameters", Map.of("key", path.substring("/results/".length())));
    }
    ApiHandler handler = new ApiHandler(new Api(
        d.recording.build(Service.S3, S3Client.builder().forcePathStyle(true)),
        d.recording.build(Service.SQS, SqsClient.builder()),
        d.recording.build(Service.DYNAMODB, DynamoDbClient.builder()),
        d.recording.build(Service.SAGEMAKER_RUNTIME, SageMakerRuntimeClient.builder()),
        ApiConfig.fromEnv(d.env("ApiFunction")),
        Clock.systemUTC()));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    handler.handleRequest(
        new java.io.ByteArrayInputStream(JSON.writeValueAsBytes(event)),
        out,
        context(d, "ApiFunction"));
    @SuppressWarnings("unchecked")
    Map<String, Object> response = JSON.readValue(out.toByteArray(), Map.class);
    return response;
  }

  // ---------------------------------------------------------------- the stack-delete cleanup

  private List<Scenario> cleanup() {
    return List.of(
        new Scenario("stack delete with a live endpoint and an enabled trigger", Map.of(), d -> {
          d.startEndpoint(d.endpointConfigName, Map.of());
          d.services.lambda.updateEventSourceMapping(r -> r.uuid(d.mappingUuid).enabled(true));
          d.awaitMapping("Enabled");
          JsonNode response = cleanupResponse(d, "Delete");
          assertThat(response.get("Status").asText())
              .as("response %s", response)
              .isEqualTo("SUCCESS");
          assertThat(d.operations())
              .contains("SageMaker.DeleteEndpoint", "Lambda.UpdateEventSourceMapping");
        }),
        new Scenario(
            "scale-to-zero: stack delete removes the component, then the endpoint",
            SCALE_TO_ZERO,
            d -> {
              d.startComponent(model(d), Map.of());
              JsonNode response = cleanupResponse(d, "Delete");
              assertThat(response.get("Status").asText())
                  .as("response %s", response)
                  .isEqualTo("SUCCESS");
              assertThat(d.operations())
                  .containsSubsequence(
                      "SageMaker.DeleteInferenceComponent", "SageMaker.DeleteEndpoint");
            }),
        new Scenario(
            "a Delete of another stack's resource is answered, not acted on", Map.of(), d -> {
              d.startEndpoint(d.endpointConfigName, Map.of());
              JsonNode response = cleanupResponse(
                  d,
                  "Delete",
                  Map.of(
                      "StackId",
                      "arn:aws:cloudformation:us-east-1:123456789012:stack/someone-else/"
                          + TemplateDeployment.unique()));
              assertThat(response.get("Reason").asText()).startsWith("ignored, nothing deleted");
              assertThat(d.operations()).isEmpty();
              assertThat(d.endpointStatus()).isEqualTo("InService");
            }),
        new Scenario(
            "stack create: S3's test event swept off the queue, an upload handed back after one"
                + " receive",
            Map.of(),
            d -> {
              // moto sent the s3:TestEvent when the deployment put the notification; then an
              // upload.
              d.upload("photos/early.png", "chelsea.png");
              JsonNode response = cleanupResponse(d, "Create");
              assertThat(response.get("Status").asText())
                  .as("response %s", response)
                  .isEqualTo("SUCCESS");
              assertThat(response.get("Data").get("TestEventsDeleted").asInt())
                  .as("response %s", response)
                  .isPositive();
              assertThat(d.operations())
                  .containsSubsequence(
                      "Lambda.GetEventSourceMapping",
                      "Sqs.ReceiveMessage",
                      "Sqs.DeleteMessage",
                      "Sqs.ReceiveMessage",
                      "Sqs.ChangeMessageVisibility")
                  .doesNotContain("Sqs.GetQueueAttributes");
              List<Message> left = d.services
                  .sqs
                  .receiveMessage(r -> r.queueUrl(d.queueUrl)
                      .maxNumberOfMessages(10)
                      .waitTimeSeconds(1)
                      .messageSystemAttributeNames(
                          MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                  .messages();
              assertThat(left).singleElement().satisfies(m -> {
                assertThat(m.body()).contains("early.png"); // moto encodes the key's / as %2F
                // The sweep's receive and this one: the upload spent one receive, no more.
                assertThat(m.attributes())
                    .containsEntry(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "2");
              });
            }),
        new Scenario(
            "stack update: only a changed bucket sweeps, after reading the queue's counters",
            Map.of(),
            d -> {
              Map<String, Object> properties = d.stack.properties("EndpointCleanup");
              JsonNode same =
                  cleanupResponse(d, "Update", Map.of("OldResourceProperties", properties));
              assertThat(same.get("Status").asText()).isEqualTo("SUCCESS");
              assertThat(d.operations()).isEmpty();

              Map<String, Object> before = new HashMap<>(properties);
              before.put("ImagesBucketFingerprint", "0123456789abcdef");
              JsonNode changed =
                  cleanupResponse(d, "Update", Map.of("OldResourceProperties", before));
              assertThat(changed.get("Status").asText()).isEqualTo("SUCCESS");
              assertThat(changed.get("Data").get("TestEventsDeleted").asInt())
                  .as("response %s", changed)
                  .isPositive();
              assertThat(d.operations())
                  .containsSubsequence(
                      "Sqs.GetQueueAttributes", "Sqs.ReceiveMessage", "Sqs.DeleteMessage");
            }));
  }

  // ---------------------------------------------------------------- LiveVersions

  /**
   * A parameter-only stack update: $LATEST of every aliased function has a setting its live version lacks; and the
   * Update of a rollback in which the new version fails, which asks CloudFormation whether the stack is rolling back.
   * Neither moto nor the local Lambda keep function versions, so a stub answers Lambda's function API (the same REST
   * calls the SDK makes against AWS), CloudFormation's DescribeStacks and the CloudFormation response; the calls are
   * recorded as for the other functions.
   */
  private List<Scenario> liveVersions() {
    return List.of(
        new Scenario(
            "stack update: each function's live alias moves to a new version of its new settings",
            Map.of(),
            d -> {
              List<String> moved = new java.util.concurrent.CopyOnWriteArrayList<>();
              JsonNode response = liveVersionsResponse(d, "Active", moved);
              assertThat(response.get("Status").asText())
                  .as("response %s", response)
                  .isEqualTo("SUCCESS");
              assertThat(moved).hasSize(3);
              assertThat(d.operations())
                  .containsSubsequence(
                      "Lambda.GetFunctionConfiguration",
                      "Lambda.PublishVersion",
                      "Lambda.GetFunctionConfiguration",
                      "Lambda.UpdateAlias")
                  .doesNotContain("CloudFormation.DescribeStacks");
            }),
        new Scenario(
            "stack rollback: a new version that fails is answered SUCCESS once DescribeStacks says the"
                + " stack is rolling back",
            Map.of(),
            d -> {
              List<String> moved = new java.util.concurrent.CopyOnWriteArrayList<>();
              JsonNode response = liveVersionsResponse(d, "Failed", moved);
              assertThat(response.get("Status").asText())
                  .as("response %s", response)
                  .isEqualTo("SUCCESS");
              assertThat(response.get("Reason").asText()).contains("rollback");
              assertThat(moved).isEmpty();
              assertThat(d.operations())
                  .containsSubsequence(
                      "Lambda.PublishVersion",
                      "Lambda.GetFunctionConfiguration",
                      "CloudFormation.DescribeStacks")
                  .doesNotContain("Lambda.UpdateAlias");
            }));
  }

  /**
   * Sends LiveVersions the Update CloudFormation would send for this stack, against the stub of {@link #lambdaApi}
   * whose new versions end in {@code state}; returns the answer it PUT.
   */
  private JsonNode liveVersionsResponse(TemplateDeployment d, String state, List<String> moved)
      throws Exception {
    String stackId = d.stack.stack().stackId();
    try (StubHttpServer server =
            StubHttpServer.start(request -> lambdaApi(request, state, stackId, moved));
        AwsClients clients = AwsClients.local(
                software.amazon.awssdk.regions.Region.of(d.stack.stack().region()),
                Map.of(Service.LAMBDA, server.uri(), Service.CLOUDFORMATION, server.uri()))
            .withInterceptor(d.recorder)) {
      Map<String, Object> event = new LinkedHashMap<>();
      event.put("RequestType", "Update");
      event.put("StackId", stackId);
      event.put("RequestId", "request-1");
      event.put("LogicalResourceId", "LiveVersions");
      event.put("PhysicalResourceId", "offhours-live-versions");
      event.put("ResponseURL", server.uri() + "/response?X-Amz-Signature=x");
      event.put("ResourceProperties", d.stack.properties("LiveVersions"));
      new LiveVersionsHandler(
              d.env("LiveVersionsFunction"), env -> clients, HttpClient.newHttpClient())
          .handleRequest(event, context(d, "LiveVersionsFunction"));
      return JSON.readTree(server.requests().stream()
          .filter(r -> r.path().equals("/response"))
          .findFirst()
          .orElseThrow()
          .text());
    }
  }

  /**
   * Lambda's function API for {@link #liveVersions}: live is version 1, $LATEST has another MAX_WAIT_MINUTES, a new
   * version 2 is in {@code state} once published. And CloudFormation's DescribeStacks (AWS query protocol): the stack
   * is rolling back.
   */
  private static Reply lambdaApi(
      StubHttpServer.Request request, String state, String stackId, List<String> moved) {
    if (request.path().equals("/response")) {
      return Reply.empty(200);
    }
    if (request.path().equals("/") && request.text().contains("Action=DescribeStacks")) {
      return new Reply(
          200,
          Map.of("Content-Type", "text/xml"),
          ("<DescribeStacksResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\">"
                  + "<DescribeStacksResult><Stacks><member><StackName>offhours</StackName>"
                  + "<StackId>" + stackId + "</StackId>"
                  + "<StackStatus>UPDATE_ROLLBACK_IN_PROGRESS</StackStatus>"
                  + "<CreationTime>2026-11-01T08:00:00Z</CreationTime></member></Stacks>"
                  + "</DescribeStacksResult><ResponseMetadata><RequestId>describe-1</RequestId>"
                  + "</ResponseMetadata></DescribeStacksResponse>")
              .getBytes(StandardCharsets.UTF_8));
    }
    String[] parts = request.path().split("/");
    // /2015-03-31/functions/NAME/configuration | /versions | /aliases/live
    String function = parts[3];
    String query = request.query() == null ? "" : request.query();
    return switch (request.method() + " " + parts[4]) {
      case "GET configuration" -> {
        String version = query.contains("Qualifier=live")
            ? "1"
            : query.contains("Qualifier=2") ? "2" : "$LATEST";
        yield Reply.json(
            200,
            "{\"FunctionName\":\"" + function + "\",\"Version\":\"" + version
                + "\",\"CodeSha256\":\"c2hh\",\"MemorySize\":512,\"State\":\""
                + (version.equals("2") ? state : "Active") + "\","
                + "\"Environment\":{\"Variables\":{\"MAX_WAIT_MINUTES\":\""
                + (version.equals("1") ? "60" : "30") + "\"}}}");
      }
      case "POST versions" ->
        Reply.json(
            201, "{\"FunctionName\":\"" + function + "\",\"Version\":\"2\",\"State\":\"Pending\"}");
      case "PUT aliases" -> {
        moved.add(function);
        yield Reply.json(200, "{\"Name\":\"live\",\"FunctionVersion\":\"2\"}");
      }
      default ->
        Reply.json(400, "{\"Type\":\"User\",\"message\":\"not stubbed: " + request.path() + "\"}");
    };
  }

  /** Sends the custom resource event CloudFormation would send for this stack and returns the handler's answer. */
  private JsonNode cleanupResponse(TemplateDeployment d, String requestType) throws Exception {
    return cleanupResponse(d, requestType, Map.of());
  }

  private JsonNode cleanupResponse(
      TemplateDeployment d, String requestType, Map<String, Object> overrides) throws Exception {
    try (StubHttpServer server = StubHttpServer.start(request -> Reply.empty(200))) {
      Map<String, Object> event = new LinkedHashMap<>(event("cfn-endpoint-cleanup-delete.json"));
      event.put("RequestType", requestType);
      event.put("StackId", d.stack.stack().stackId());
      event.put("ResponseURL", server.uri() + "/response?X-Amz-Signature=x");
      event.put("ResourceProperties", d.stack.properties("EndpointCleanup"));
      if (requestType.equals("Create")) {
        event.remove("PhysicalResourceId");
      }
      event.putAll(overrides);
      new EndpointCleanupHandler(
              d.env("EndpointCleanupFunction"), env -> d.recording, HttpClient.newHttpClient())
          .handleRequest(event, context(d, "EndpointCleanupFunction"));
      assertThat(server.requests()).hasSize(1);
      return JSON.readTree(server.requests().getFirst().text());
    }
  }

  // ---------------------------------------------------------------- helpers

  @SuppressWarnings("unchecked")
  private static Map<String, Object> event(String fixture) throws IOException {
    return new HashMap<>(JSON.readValue(EVENTS.resolve(fixture).toFile(), Map.class));
  }

  private static com.amazonaws.services.lambda.runtime.Context context(
      TemplateDeployment d, String function) {
    Object timeout = d.stack.properties(function).get("Timeout");
    return LambdaContexts.countingDown(Duration.ofSeconds(Long.parseLong(String.valueOf(timeout))));
  }
}
