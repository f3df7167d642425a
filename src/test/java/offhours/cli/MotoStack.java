package offhours.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.local.StateFile;
import offhours.stack.StackSpec;
import offhours.testing.AwsServicesExtension.AwsServices;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A stack's bucket, queue, dead-letter queue, results and control tables on moto_server under fresh names
 * ({@code PREFIX-SUFFIX}, {@code PREFIX-queue-SUFFIX}, {@code PREFIX-results-SUFFIX}, ...), and the local stack's
 * state file in {@code cache} naming them and this process, so a command run in-process finds them over the wire as a
 * user's run finds the local stack's. The endpoint, the mapping and the controller function are named but not
 * created; the state file has no {@code names.hosting} (as an older version's).
 */
final class MotoStack implements AutoCloseable {

  final AwsClients clients;
  final S3Client s3;
  final SqsClient sqs;
  final DynamoDbClient dynamoDb;
  final String suffix = UUID.randomUUID().toString().substring(0, 8);
  final String bucket;
  final String queueUrl;
  final String dlqUrl;
  final String resultsTable;
  final String controlTable;

  private final Map<Service, URI> endpoints = new EnumMap<>(Service.class);
  private final Path cache;

  MotoStack(AwsServices services, String prefix, Path cache) throws IOException {
    this.cache = cache;
    for (Service service : Service.values()) {
      endpoints.put(service, services.endpoint());
    }
    clients = AwsClients.local(Region.US_EAST_1, endpoints);
    s3 = clients.build(Service.S3, S3Client.builder().forcePathStyle(true));
    sqs = clients.build(Service.SQS, SqsClient.builder());
    dynamoDb = clients.build(Service.DYNAMODB, DynamoDbClient.builder());
    bucket = prefix + "-" + suffix;
    resultsTable = prefix + "-results-" + suffix;
    controlTable = prefix + "-control-" + suffix;

    s3.createBucket(r -> r.bucket(bucket));
    dlqUrl = sqs.createQueue(r -> r.queueName(prefix + "-dlq-" + suffix)).queueUrl();
    queueUrl = sqs.createQueue(r -> r.queueName(prefix + "-queue-" + suffix)).queueUrl();
    dynamoDb.createTable(StackSpec.RESULTS_TABLE.createTableRequest(resultsTable));
    dynamoDb.createTable(StackSpec.CONTROL_TABLE.createTableRequest(controlTable));
    TestStateFiles.state(
            ProcessHandle.current().pid(),
            TestStateFiles.endpoints(services.endpoint()),
            Map.of(
                "bucket",
                bucket,
                "queueUrl",
                queueUrl,
                "dlqUrl",
                dlqUrl,
                "resultsTable",
                resultsTable,
                "controlTable",
                controlTable,
                "endpoint",
                prefix + "-endpoint-" + suffix,
                "mappingUuid",
                UUID.randomUUID().toString(),
                "controllerFunction",
                "offhours-controller"))
        .write(StateFile.path(cache));
  }

  /** One command against this stack, as {@link #run(Clock, String...)} with the system clock. */
  CliRun run(String... args) {
    return run(Clock.systemUTC(), args);
  }

  /** One command reading the time from {@code clock}; like AwsClients::forUser, a fresh factory the command closes. */
  CliRun run(Clock clock, String... args) {
    return CliRun.run(
        cache, clock, () -> AwsClients.local(Region.US_EAST_1, endpoints), Commands.all(), args);
  }

  /**
   * A {@link Main} on this stack that prints to {@code out} and {@code err}, for a command that runs until it is
   * interrupted ({@code ui}), which {@link #run} cannot wait for.
   */
  Main main(PrintStream out, PrintStream err) {
    return new Main(
        new Context(
            out,
            err,
            Map.of(),
            cache,
            false,
            Clock.systemUTC(),
            () -> AwsClients.local(Region.US_EAST_1, endpoints)),
        Commands.all());
  }

  @Override
  public void close() {
    s3.close();
    sqs.close();
    dynamoDb.close();
    clients.close();
  }

  /** The controller's state item (pk controller, sk state) with {@code fields}. */
  void putControllerState(Map<String, AttributeValue> fields) {
    Map<String, AttributeValue> item = new HashMap<>(fields);
    item.put("pk", AttributeValue.fromS("controller"));
    item.put("sk", AttributeValue.fromS("state"));
    dynamoDb.putItem(r -> r.tableName(controlTable).item(item));
  }

  /** A result of {@code key} in the results table, as Classify writes one (a label only when {@code label} is set). */
  void putResult(
      String key, String status, String label, Double score, String reason, String classifiedAt) {
    putResult(key, status, label, score, reason, classifiedAt, null);
  }

  /** As {@link #putResult(String, String, String, Double, String, String)}, by {@code model} when it is set. */
  void putResult(
      String key,
      String status,
      String label,
      Double score,
      String reason,
      String classifiedAt,
      String model) {
    Map<String, AttributeValue> item = new HashMap<>(Map.of(
        "pk", AttributeValue.fromS("s3://" + bucket + "/" + key),
        "sk", AttributeValue.fromS("e#" + UUID.randomUUID()),
        "bucket", AttributeValue.fromS(bucket),
        "key", AttributeValue.fromS(key),
        "status", AttributeValue.fromS(status),
        "classifiedAt", AttributeValue.fromS(classifiedAt),
        "attempts", AttributeValue.fromN("1"),
        "sizeBytes", AttributeValue.fromN("1234")));
    if (label != null) {
      item.put("topLabel", AttributeValue.fromS(label));
      item.put("topScore", AttributeValue.fromN(score.toString()));
      item.put(
          "labels",
          AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of(
              "label",
              AttributeValue.fromS(label),
              "score",
              AttributeValue.fromN(score.toString()))))));
    }
    if (reason != null) {
      item.put("reason", AttributeValue.fromS(reason));
    }
    if (model != null) {
      item.put("model", AttributeValue.fromS(model));
    }
    dynamoDb.putItem(r -> r.tableName(resultsTable).item(item));
  }

  /** The CreationTime of {@code stack} (a CloudFormation stack on moto), as the command line reads it. */
  Instant createdAt(String stack) {
    try (CloudFormationClient cloudFormation =
        clients.build(Service.CLOUDFORMATION, CloudFormationClient.builder())) {
      return cloudFormation
          .describeStacks(r -> r.stackName(stack))
          .stacks()
          .getFirst()
          .creationTime();
    }
  }
}
