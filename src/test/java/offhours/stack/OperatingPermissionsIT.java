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
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * Needs moto_server (started by {@link AwsServicesExtension}) for CloudFormation, S3, SQS and DynamoDB. The operating
 * commands ({@code dlq}, {@code queue}, {@code reprocess}, {@code backfill}) run with {@code --stack} as a user runs
 * them, with their own credentials; every SDK call they make is recorded and mapped to its IAM action
 * ({@link IamActions}), and the set must be exactly the list README's "Operating it" gives users, each on the kind of
 * resource it names there. moto enforces no IAM, so only this keeps that list true.
 */
@ExtendWith(AwsServicesExtension.class)
class OperatingPermissionsIT {

  private static final String ACCOUNT = "123456789012"; // moto's
  private static final Pattern ACTION = Pattern.compile("`([a-z0-9]+:[A-Za-z]+)`");

  @TempDir
  Path cache;

  @Test
  void theOperatingCommandsOnADeployedStackNeedExactlyThePermissionsTheReadmeLists(
      AwsServices services) throws IOException {
    Map<Service, URI> endpoints = new EnumMap<>(Service.class);
    for (Service service : Service.values()) {
      endpoints.put(service, services.endpoint());
    }
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String bucket = "ops-perm-" + suffix;
    String resultsTable = "ops-perm-results-" + suffix;
    String stack = "ops-perm-stack-" + suffix;
    String queueUrl;
    String dlqUrl;
    String dlqId;
    String stackId;
    try (AwsClients admin = AwsClients.local(Region.US_EAST_1, endpoints);
        S3Client s3 = admin.build(Service.S3, S3Client.builder().forcePathStyle(true));
        SqsClient sqs = admin.build(Service.SQS, SqsClient.builder());
        DynamoDbClient dynamoDb = admin.build(Service.DYNAMODB, DynamoDbClient.builder());
        CloudFormationClient cloudFormation =
            admin.build(Service.CLOUDFORMATION, CloudFormationClient.builder())) {
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
      dynamoDb.createTable(StackSpec.RESULTS_TABLE.createTableRequest(resultsTable));
      new ResultsTable(dynamoDb, resultsTable)
          .put(new ResultItem(
              ResultItem.pkFor(bucket, "cats/old.png"),
              ResultItem.skFor(null, "etag-old"),
              bucket,
              "cats/old.png",
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
              null));
      String body = new ObjectNotification(
              bucket, "cats/dead.png", 10L, "etag-dead", null, "00A1", Instant.now(), "test")
          .body();
      dlqId = sqs.sendMessage(r -> r.queueUrl(dlqUrl).messageBody(body)).messageId();
      String template = """
          {"Resources": {"Placeholder": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "ops-perm-cfn-%s"}}},
           "Outputs": {"BucketName": {"Value": "%s"}, "QueueUrl": {"Value": "%s"},
                       "DeadLetterQueueUrl": {"Value": "%s"}, "ResultsTableName": {"Value": "%s"}}}
          """.formatted(suffix, bucket, queueUrl, dlqUrl, resultsTable);
      stackId = cloudFormation
          .createStack(r -> r.stackName(stack).templateBody(template))
          .stackId();
    }

    AwsCallRecorder recorder = new AwsCallRecorder();
    List<String> failed = new ArrayList<>();
    for (List<String> command : List.of(
        List.of("dlq", "list"),
        List.of("dlq", "show", dlqId),
        // SQS's own move; moto_server answers 500 (it lacks the API), after which the command reads
        // the task
        List.of("dlq", "redrive"),
        List.of("dlq", "redrive", "--id", dlqId),
        List.of("queue"),
        List.of("reprocess", "--status", "REJECTED"),
        List.of("reprocess", "--key", "cats/old.png"),
        List.of("reprocess", "--label", "Neutral"),
        List.of("backfill", "s3://" + bucket + "/cats/"))) {
      List<String> args = new ArrayList<>(command);
      args.addAll(List.of("--stack", stack));
      String err = run(endpoints, recorder, args);
      if (err != null) {
        failed.add(String.join(" ", command) + ": " + err);
      }
    }
    assertThat(failed)
        .as("every command but the redrive moto cannot start ran")
        .singleElement()
        .asString()
        .startsWith("dlq redrive: offhours: SQS did not start the move task (StartMessageMoveTask");

    IamActions actions = new IamActions("aws", ACCOUNT);
    List<Permission> needed = recorder.calls().stream()
        .flatMap(call -> actions.required(call).stream())
        .toList();
    Set<String> used =
        needed.stream().map(Permission::action).collect(Collectors.toCollection(TreeSet::new));
    assertThat(used)
        .as("README's 'Operating it' list against the actions of the calls the commands made")
        .isEqualTo(readmeActions());

    // Each on what README says it is on: the stack, the queues, the results table and its indexes,
    // the bucket.
    String tableArn = "arn:aws:dynamodb:us-east-1:" + ACCOUNT + ":table/" + resultsTable;
    for (Permission p : needed) {
      String service = p.action().substring(0, p.action().indexOf(':'));
      switch (service) {
        case "cloudformation" ->
          assertThat(p.resource())
              .as(p.because())
              .isIn(
                  stackId,
                  "arn:aws:cloudformation:us-east-1:" + ACCOUNT + ":stack/" + stack + "/*");
        case "sqs" ->
          assertThat(p.resource())
              .as(p.because())
              .isIn(
                  "arn:aws:sqs:us-east-1:" + ACCOUNT + ":ops-perm-queue-" + suffix,
                  "arn:aws:sqs:us-east-1:" + ACCOUNT + ":ops-perm-dlq-" + suffix);
        case "dynamodb" ->
          assertThat(p.resource())
              .as(p.because())
              .matches(Pattern.quote(tableArn) + "(/index/.+)?");
        case "s3" -> assertThat(p.resource()).as(p.because()).isEqualTo("arn:aws:s3:::" + bucket);
        default -> throw new AssertionError("a call outside README's list: " + p);
      }
    }
  }

  /** One command; null when it exited 0, else what it printed on stderr. */
  private String run(Map<Service, URI> endpoints, AwsCallRecorder recorder, List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Context context = new Context(
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        Map.of(),
        cache,
        false,
        Clock.systemUTC(),
        () -> {
          // The user's clients, as AwsClients.forUser builds them, with the recorder added.
          try (AwsClients plain = AwsClients.local(Region.US_EAST_1, endpoints)) {
            return plain.withInterceptor(recorder);
          }
        });
    int code = new Main(context, Commands.all()).run(args.toArray(String[]::new));
    return code == 0 ? null : err.toString(StandardCharsets.UTF_8).strip();
  }

  /** The IAM actions README's "Operating it" tells users the commands need, from its first paragraph. */
  static Set<String> readmeActions() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    int section = readme.indexOf("\n## Operating it\n");
    assertThat(section).as("README has the section 'Operating it'").isPositive();
    int start = readme.indexOf("(they are", section);
    int end = readme.indexOf("None scans", start);
    assertThat(start).isPositive();
    assertThat(end).isGreaterThan(start);
    Set<String> actions = new TreeSet<>();
    Matcher m = ACTION.matcher(readme.substring(start, end));
    while (m.find()) {
      actions.add(m.group(1));
    }
    return actions;
  }
}
