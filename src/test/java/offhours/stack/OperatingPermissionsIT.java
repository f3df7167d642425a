package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.classify.ObjectNotification;
import offhours.cli.Commands;
import offhours.cli.Context;
import offhours.cli.Main;
import offhours.results.ResultItem;
import offhours.results.ResultItem.Verdict;
import offhours.results.ResultsTable;
import offhours.stack.IamRole.Permission;
import offhours.testing.AwsServicesExtension;
import offhours.testing.AwsServicesExtension.AwsServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Needs moto_server (started by {@link AwsServicesExtension}) for CloudFormation, S3, SQS, DynamoDB, SageMaker and
 * Lambda. Every command README's "Operating it" table lists runs with {@code --stack} as a user runs it, with their own
 * credentials; every SDK call it makes is recorded and mapped to its IAM action ({@link IamActions}), and for each row
 * of the table the actions must be exactly the row's (plus cloudformation:DescribeStacks), each on a resource of the
 * stack of the kind the row names ({@code trace --bucket}, without a stack, the listing alone). moto enforces no IAM,
 * so only this keeps the table true. {@code ui} runs as a
 * user runs it and its page is asked every route over HTTP ({@link UiPageSession}).
 */
@ExtendWith(AwsServicesExtension.class)
class OperatingPermissionsIT {

  private static final String ACCOUNT = "123456789012"; // moto's
  private static final String REGION = "us-east-1";
  private static final Pattern ACTION = Pattern.compile("`([a-z0-9]+:[A-Za-z]+)`");
  private static final Pattern COMMAND = Pattern.compile("`([a-z -]+)`");
  private static final String DESCRIBE_STACKS = "cloudformation:DescribeStacks";
  private static final String UI_UPLOAD = "ui/dropped on the page.png";

  @TempDir
  Path cache;

  private final String suffix = UUID.randomUUID().toString().substring(0, 8);
  private final String bucket = "ops-perm-" + suffix;
  private final String resultsTable = "ops-perm-results-" + suffix;
  private final String controlTable = "ops-perm-control-" + suffix;
  private final String endpoint = "ops-perm-endpoint-" + suffix;
  private final String endpointConfig = "ops-perm-config-" + suffix;
  private final String component = "ops-perm-component-" + suffix;
  private final String mapping = UUID.randomUUID().toString();
  private final String controller = "ops-perm-controller-" + suffix;
  private final Map<Service, URI> endpoints = new EnumMap<>(Service.class);
  private final Map<String, String> stackIds = new TreeMap<>();
  private String queueUrl;
  private String dlqUrl;

  @Test
  void eachCommandOnADeployedStackNeedsExactlyThePermissionsTheReadmeTableLists(
      AwsServices services) throws IOException {
    for (Service service : Service.values()) {
      endpoints.put(service, services.endpoint());
    }
    String dlqId = provision();
    Path image = Files.write(cache.resolve("cat.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});

    // Each row's commands, every way they run: a row's actions are those of all its runs.
    Map<String, List<List<String>>> runs = new LinkedHashMap<>();
    runs.put("upload", List.of(List.of("upload", image.toString())));
    runs.put(
        "results",
        List.of(
            List.of("results"),
            List.of("results", "--label", "Neutral"),
            List.of("results", "--status", "REJECTED"),
            List.of("results", "--key", "cats/old.png")));
    runs.put("queue", List.of(List.of("queue")));
    runs.put("dlq list", List.of(List.of("dlq", "list")));
    runs.put("dlq show", List.of(List.of("dlq", "show", dlqId)));
    runs.put(
        "dlq redrive",
        List.of(
            List.of("dlq", "redrive"),
            // a selection that keeps the message makes it visible again; one that takes it moves it
            List.of("dlq", "redrive", "--key-prefix", "dogs/"),
            List.of("dlq", "redrive", "--id", dlqId)));
    runs.put(
        "reprocess",
        List.of(
            List.of("reprocess", "--status", "REJECTED"),
            List.of("reprocess", "--key", "cats/old.png"),
            List.of("reprocess", "--label", "Neutral")));
    runs.put("backfill", List.of(List.of("backfill", "s3://" + bucket + "/cats/")));
    runs.put("endpoint status", List.of(List.of("endpoint", "status")));
    runs.put("endpoint start", List.of(List.of("endpoint", "start")));
    runs.put("endpoint stop", List.of(List.of("endpoint", "stop")));
    runs.put("endpoint auto", List.of(List.of("endpoint", "auto")));
    runs.put("cost", List.of(List.of("cost")));
    runs.put("cost --compare", List.of(List.of("cost", "--compare")));
    runs.put("ui", List.of(List.of("ui"))); // its page's every route, over HTTP: see browse
    runs.put("trace", List.of(List.of("trace", "--prefix", "cats/", "--days", "7")));
    // Runs that fail on moto_server after their calls, on the stack of that hosting: it has no
    // StartMessageMoveTask, no DescribeInferenceComponent and no controller function.
    String notFound = "offhours: function " + controller + " (ControllerFunctionName of stack ";
    Map<String, String> failOnMoto = Map.of(
        "dlq redrive @scheduled",
            "offhours: SQS did not start the move task (StartMessageMoveTask, HTTP 500",
        "endpoint status @scale-to-zero",
            "offhours: endpoint status failed: SageMaker answered null",
        "endpoint start @scheduled", notFound,
        "endpoint stop @scheduled", notFound,
        "endpoint auto @scheduled", notFound);

    Map<List<String>, Set<String>> table = readmeTable();
    assertThat(table.keySet().stream().flatMap(List::stream).toList())
        .as("every command of README's table runs here, and nothing else")
        .containsExactlyInAnyOrderElementsOf(runs.keySet());

    IamActions actions = new IamActions("aws", ACCOUNT);
    for (Map.Entry<List<String>, Set<String>> row : table.entrySet()) {
      AwsCallRecorder recorder = new AwsCallRecorder();
      for (String command : row.getKey()) {
        for (List<String> args : runs.get(command)) {
          // What endpoint status reads depends on the hosting.
          List<String> hostings = args.equals(List.of("endpoint", "status"))
              ? List.of("scheduled", "scale-to-zero", "serverless")
              : List.of("scheduled");
          for (String hosting : hostings) {
            String run = String.join(" ", args) + " @" + hosting;
            if (args.equals(List.of("ui"))) {
              browse(recorder, stack(hosting));
              continue;
            }
            String err = run(recorder, args, stack(hosting));
            if (failOnMoto.containsKey(run)) {
              assertThat(err).as(run).startsWith(failOnMoto.get(run));
            } else {
              assertThat(err).as(run).isNull();
            }
          }
        }
      }
      List<Permission> needed = recorder.calls().stream()
          .flatMap(call -> actions.required(call).stream())
          .toList();
      Set<String> expected = new TreeSet<>(row.getValue());
      expected.add(DESCRIBE_STACKS);
      Set<String> used =
          needed.stream().map(Permission::action).collect(Collectors.toCollection(TreeSet::new));
      assertThat(used)
          .as("README's row for " + row.getKey() + " against the actions of the calls they made")
          .isEqualTo(expected);
      needed.forEach(this::onTheStacksResources);
    }

    // trace --bucket needs no stack: the listing alone, as README's row says.
    AwsCallRecorder recorder = new AwsCallRecorder();
    assertThat(run(recorder, List.of("trace", "--bucket", bucket), List.of())).isNull();
    List<Permission> needed = recorder.calls().stream()
        .flatMap(call -> actions.required(call).stream())
        .toList();
    assertThat(needed).extracting(Permission::action).containsOnly("s3:ListBucketVersions");
    needed.forEach(this::onTheStacksResources);
  }

  /** The stack's queues, tables and bucket on moto, a DLQ message and a result; the DLQ message's id. */
  private String provision() throws IOException {
    try (AwsClients admin = AwsClients.local(Region.US_EAST_1, endpoints);
        S3Client s3 = admin.build(Service.S3, S3Client.builder().forcePathStyle(true));
        SqsClient sqs = admin.build(Service.SQS, SqsClient.builder());
        DynamoDbClient dynamoDb = admin.build(Service.DYNAMODB, DynamoDbClient.builder())) {
      s3.createBucket(r -> r.bucket(bucket));
      s3.putObject(
          r -> r.bucket(bucket).key("cats/new.png"), RequestBody.fromBytes(new byte[] {1}));
      dlqUrl = sqs.createQueue(r -> r.queueName("ops-perm-dlq-" + suffix)).queueUrl();
      String dlqArn = sqs.getQueueAttributes(
              r -> r.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
          .attributes()
          .get(QueueAttributeName.QUEUE_ARN);
      queueUrl = sqs.createQueue(r -> r.queueName("ops-perm-queue-" + suffix)
              .attributesWithStrings(Map.of(
                  "RedrivePolicy",
                  "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"5\"}")))
          .queueUrl();
      // A delayed upload (a hand-back's copy): queue reads the endpoint and the trigger only then.
      sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("{}").delaySeconds(900));
      dynamoDb.createTable(StackSpec.RESULTS_TABLE.createTableRequest(resultsTable));
      dynamoDb.createTable(StackSpec.CONTROL_TABLE.createTableRequest(controlTable));
      // Two results (rejected long ago; no object under either key any more): a page of one has a
      // next.
      for (String key : List.of("cats/old.png", "cats/older.png")) {
        new ResultsTable(dynamoDb, resultsTable)
            .put(new ResultItem(
                ResultItem.pkFor(bucket, key),
                ResultItem.skFor(null, "etag-old"),
                bucket,
                key,
                null,
                "etag-old",
                null,
                10L,
                Verdict.REJECTED,
                "not an image",
                List.of(),
                null,
                null,
                "m1",
                "e",
                Instant.parse("2026-11-25T09:00:00Z"),
                Instant.parse("2026-11-25T10:00:00Z"),
                1,
                null,
                null));
      }
      String body = new ObjectNotification(
              bucket, "cats/dead.png", 10L, "etag-dead", null, "00A1", Instant.now(), "test")
          .body();
      return sqs.sendMessage(r -> r.queueUrl(dlqUrl).messageBody(body)).messageId();
    }
  }

  /** A CloudFormation stack on moto whose outputs name the resources, with {@code hosting}; its name. */
  private String stack(String hosting) {
    String name = "ops-perm-" + hosting + "-" + suffix;
    if (stackIds.containsKey(name)) {
      return name;
    }
    Map<String, String> outputs = new TreeMap<>(Map.of(
        "BucketName", bucket,
        "QueueUrl", queueUrl,
        "DeadLetterQueueUrl", dlqUrl,
        "ResultsTableName", resultsTable,
        "ControlTableName", controlTable,
        "EndpointName", endpoint,
        "EndpointConfigName", endpointConfig,
        "ClassifyMappingId", mapping,
        "ControllerFunctionName", controller,
        "HostingOption", hosting));
    outputs.put("InferenceComponentName", component);
    StringBuilder template =
        new StringBuilder("{\"Resources\": {\"Placeholder\": {\"Type\": \"AWS::SQS::Queue\","
            + " \"Properties\": {\"QueueName\": \"" + name + "\"}}}, \"Outputs\": {");
    outputs.forEach((key, value) -> template
        .append('"')
        .append(key)
        .append("\": {\"Value\": \"")
        .append(value)
        .append("\"},"));
    template.setLength(template.length() - 1);
    template.append("}}");
    try (AwsClients admin = AwsClients.local(Region.US_EAST_1, endpoints);
        CloudFormationClient cloudFormation =
            admin.build(Service.CLOUDFORMATION, CloudFormationClient.builder())) {
      stackIds.put(
          name,
          cloudFormation
              .createStack(r -> r.stackName(name).templateBody(template.toString()))
              .stackId());
    }
    return name;
  }

  /** That a permission is on one of the stack's resources, of the kind README's table names for its action. */
  private void onTheStacksResources(Permission p) {
    String arn = "arn:aws:%s:" + REGION + ":" + ACCOUNT + ":%s";
    String service = p.action().substring(0, p.action().indexOf(':'));
    List<String> allowed = switch (service) {
      case "cloudformation" -> {
        List<String> stacks = new ArrayList<>(stackIds.values());
        stackIds
            .keySet()
            .forEach(n -> stacks.add(arn.formatted("cloudformation", "stack/" + n + "/*")));
        yield stacks;
      }
      case "sqs" ->
        List.of(
            arn.formatted("sqs", "ops-perm-queue-" + suffix),
            arn.formatted("sqs", "ops-perm-dlq-" + suffix));
      case "dynamodb" ->
        List.of(
            arn.formatted("dynamodb", "table/" + resultsTable),
            arn.formatted(
                "dynamodb", "table/" + resultsTable + "/index/" + ResultsTable.LABEL_INDEX),
            arn.formatted(
                "dynamodb", "table/" + resultsTable + "/index/" + ResultsTable.STATUS_INDEX),
            arn.formatted("dynamodb", "table/" + controlTable));
      case "s3" ->
        List.of(
            "arn:aws:s3:::" + bucket,
            "arn:aws:s3:::" + bucket + "/cat.png",
            "arn:aws:s3:::" + bucket + "/" + UI_UPLOAD,
            "arn:aws:s3:::" + bucket + "/cats/old.png");
      case "sagemaker" ->
        List.of(
            arn.formatted("sagemaker", "endpoint/" + endpoint),
            arn.formatted("sagemaker", "endpoint-config/" + endpointConfig),
            arn.formatted("sagemaker", "inference-component/" + component));
      case "lambda" ->
        List.of(
            arn.formatted("lambda", "event-source-mapping:" + mapping),
            arn.formatted("lambda", "function:" + controller + ":" + StackSpec.FUNCTION_ALIAS));
      default -> List.of();
    };
    assertThat(p.resource()).as(p.action() + " for " + p.because()).isIn(allowed);
  }

  /** One command against {@code stack}; null when it exits 0, else what it printed on stderr. */
  private String run(AwsCallRecorder recorder, List<String> args, String stack) {
    return run(recorder, args, List.of("--stack", stack));
  }

  /** As {@link #run(AwsCallRecorder, List, String)}, with {@code more} after {@code args}. */
  private String run(AwsCallRecorder recorder, List<String> args, List<String> more) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(args);
    all.addAll(more);
    int code = main(
            recorder,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(all.toArray(String[]::new));
    return code == 0 ? null : err.toString(StandardCharsets.UTF_8).strip();
  }

  /** The command line with the user's clients, as AwsClients.forUser builds them, with the recorder added. */
  private Main main(AwsCallRecorder recorder, PrintStream out, PrintStream err) {
    Context context = new Context(out, err, Map.of(), cache, false, Clock.systemUTC(), () -> {
      try (AwsClients plain = AwsClients.local(Region.US_EAST_1, endpoints)) {
        return plain.withInterceptor(recorder);
      }
    });
    return new Main(context, Commands.all());
  }

  /** 'offhours ui --stack' and every route of its page, as a user uses it (see UiPageSession#useEveryRoute). */
  private void browse(AwsCallRecorder recorder, String stack) throws IOException {
    try (UiPageSession page = UiPageSession.start((out, err) -> main(recorder, out, err), stack)) {
      page.useEveryRoute(stack, bucket, UI_UPLOAD, "cats/old.png", controller);
    }
  }

  /**
   * README's "Operating it" table: each row's commands (its first cell's code spans) and IAM actions (the second's).
   */
  static Map<List<String>, Set<String>> readmeTable() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    int section = readme.indexOf("\n## Operating it\n");
    assertThat(section).as("README has the section 'Operating it'").isPositive();
    String text = readme.substring(section, readme.indexOf("\n### ", section));
    assertThat(text)
        .as("the sentence before the table")
        .contains("besides `" + DESCRIBE_STACKS + "`");
    Map<List<String>, Set<String>> rows = new LinkedHashMap<>();
    for (String line : text.lines().toList()) {
      if (!line.startsWith("| `")) {
        continue;
      }
      String[] cells = line.split("\\|");
      List<String> commands = new ArrayList<>();
      Matcher c = COMMAND.matcher(cells[1]);
      while (c.find()) {
        commands.add(c.group(1));
      }
      Set<String> actions = new TreeSet<>();
      Matcher a = ACTION.matcher(cells[2]);
      while (a.find()) {
        actions.add(a.group(1));
      }
      rows.put(commands, actions);
    }
    assertThat(rows).as("the table's rows").isNotEmpty();
    return rows;
  }
}
