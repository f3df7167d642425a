package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import offhours.aws.AwsClients.Service;
import offhours.endpoint.Backlog;
import offhours.endpoint.Decision;
import offhours.endpoint.DynamoControlTable;
import offhours.endpoint.Endpoint;
import offhours.endpoint.Mapping;
import offhours.local.StateFile;
import offhours.testing.AwsServicesExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * Commands that read a stack (queue, endpoint status and start, names from a deployed stack's outputs) and what they
 * say when a table, a bucket or a service is missing, on moto_server (started by {@link AwsServicesExtension}) for
 * S3, SQS, DynamoDB, SageMaker, Lambda and CloudFormation.
 */
class CliIT extends OnMotoStack {

  @TempDir
  Path photos;

  /** What every command says of a bucket, table or queue of the local stack that does not exist (Target.on). */
  private static String missing(String what, String name, String output, String created) {
    return "offhours: " + what + " " + name + " (" + output
        + " of the local stack) does not exist; restart the"
        + " local stack ('scripts/offhours local stop', then 'scripts/offhours local start'), which creates its "
        + created + " again\n";
  }

  @Test
  void aMissingTableOrBucketIsNamedAlikeByEveryCommand() throws IOException {
    String table = "no-such-table-" + moto.suffix;
    String bucket = "no-such-bucket-" + moto.suffix;
    withNames(Map.of("resultsTable", table, "bucket", bucket));
    Files.write(photos.resolve("a.png"), new byte[] {1});

    String noTable = missing("table", table, "ResultsTableName", "tables");
    assertThat(run("results").err()).isEqualTo(noTable);
    assertThat(run("reprocess", "--all").err()).isEqualTo(noTable);
    assertThat(run("cost").err()).endsWith(noTable);
    String noBucket = missing("bucket", bucket, "BucketName", "bucket");
    assertThat(run("upload", photos.toString()).err()).endsWith(noBucket);
    // Where backfill said "backfill failed: S3 answered NoSuchBucket", naming no bucket.
    assertThat(run("backfill", "s3://" + bucket + "/").err()).endsWith(noBucket);
  }

  @Test
  void redriveNamesAMissingDeadLetterQueueOrQueue() throws IOException {
    String gone = moto.dlqUrl + "-gone";
    withNames(Map.of("dlqUrl", gone));
    assertThat(run("dlq", "redrive").err())
        .isEqualTo(missing("queue", gone, "DeadLetterQueueUrl", "queues"));

    gone = moto.queueUrl + "-gone";
    withNames(Map.of("dlqUrl", moto.dlqUrl, "queueUrl", gone));
    assertThat(run("dlq", "redrive", "--key-prefix", "a").err())
        .isEqualTo(missing("queue", gone, "QueueUrl", "queues"));
  }

  @Test
  void queueCountsVisibleInFlightDelayedAndDeadLetters() throws IOException {
    for (int i = 0; i < 3; i++) {
      int n = i;
      moto.sqs.sendMessage(r -> r.queueUrl(moto.queueUrl).messageBody("m" + n));
    }
    moto.sqs.sendMessage(r -> r.queueUrl(moto.queueUrl).messageBody("later").delaySeconds(600));
    moto.sqs.sendMessage(r -> r.queueUrl(moto.dlqUrl).messageBody("poison"));
    assertThat(moto.sqs
            .receiveMessage(
                r -> r.queueUrl(moto.queueUrl).maxNumberOfMessages(1).visibilityTimeout(600))
            .messages())
        .hasSize(1);

    CliRun run = run("queue", "--json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode counts = Json.MAPPER.readTree(run.out());
    assertThat(counts.get("visible").asLong()).isEqualTo(2);
    assertThat(counts.get("inFlight").asLong()).isEqualTo(1);
    assertThat(counts.get("delayed").asLong()).isEqualTo(1);
    assertThat(counts.get("dlq").asLong()).isEqualTo(1);
    assertThat(counts.get("moveTask").isNull()).isTrue();
    assertThat(counts.get("moveTaskNote").asText()).startsWith("none in local mode");
    assertThat(counts.get("handedBack").isNull())
        .as("a delayed upload with the endpoint absent is no sign of failing invocations")
        .isTrue();
    assertThat(run("queue").out())
        .startsWith("queue cli-it-queue-" + moto.suffix + ": 2 visible, 1 in flight, 1 delayed\n")
        .endsWith("\nlast move task of the dead-letter queue: none in local mode (this SQS has no"
            + " ListMessageMoveTasks; 'offhours dlq redrive' moves the messages itself and is done"
            + " when it returns)\n");
  }

  @Test
  void endpointStatusShowsAnAbsentEndpointAsANormalState() throws IOException {
    CliRun run = run("endpoint", "status");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.outLines().getFirst())
        .isEqualTo("endpoint cli-it-endpoint-" + moto.suffix
            + ": absent (uploads wait in the queue until it is started)");
    assertThat(run.out())
        .contains(
            "next run: the first schedule tick (the controller has not run yet)\n",
            "controller: no state yet (it has not run)");
    assertThat(run.outLines().get(1))
        .as("a state file without the hosting (an older version's): one line, then as before")
        .isEqualTo("hosting: unknown (the local stack's state file " + StateFile.path(cache)
            + " has no names.hosting; restart the local stack with this version ('scripts/offhours"
            + " local stop', then 'local start')); showing the endpoint alone");

    moto.putControllerState(Map.of(
        "lastAction",
        AttributeValue.fromS("stop"),
        "version",
        AttributeValue.fromN("3"),
        "scheduleOpen",
        AttributeValue.fromBool(false),
        "overrideMode",
        AttributeValue.fromS("STOP")));
    Instant at = Instant.parse("2026-11-25T18:00:00Z");
    new DynamoControlTable(moto.dynamoDb, moto.controlTable)
        .recordDecision(
            new Decision(
                at,
                false,
                "manual stop until 2026-11-26 08:00 Europe/Berlin",
                Endpoint.Status.ABSENT,
                Mapping.TriggerState.DISABLED,
                Backlog.Snapshot.EMPTY,
                Decision.Action.NONE,
                "off",
                "ok",
                false,
                at.plusSeconds(600)),
            "manual stop");
    // A stack without a TIME_ZONE setting: times in the zone the command runs in, the controller's.
    assertThat(moto.run(Clock.system(ZoneId.of("Europe/Berlin")), "endpoint", "status")
            .outLines())
        .containsSubsequence(
            "last decision: want OFF (manual stop until 2026-11-26 08:00 Europe/Berlin) ->"
                + " NONE: off [ok]",
            "next run: 2026-11-25 19:10 Europe/Berlin (asked by the last run: manual stop until"
                + " 2026-11-26 08:00 Europe/Berlin)",
            "last run: 2026-11-25 19:00 Europe/Berlin, started by manual stop",
            "run timer: not armed",
            "expected wake: 30 min, the default until a wake is measured")
        .endsWith(
            // A state file of an older version records none of the controller's settings: the
            // controller's last sighting of the schedule, and no forecast, each saying why.
            "schedule: outside working hours at the controller's last run (the working hours are not"
                + " known here: the local stack's state file does not record TIME_ZONE, WORKING_HOURS,"
                + " HOLIDAYS (it was started by an older version; restart it with this one:"
                + " 'scripts/offhours local stop', then 'local start'))",
            "an upload made now: unknown: the local stack's state file does not record TIME_ZONE,"
                + " WORKING_HOURS, HOLIDAYS, MAX_WAIT_MINUTES, WAKE_BACKLOG_MESSAGES,"
                + " WAKE_BACKLOG_AGE_MINUTES, BATCHING_WINDOW_SECONDS, INSTANCE_COUNT, HOSTING,"
                + " CONTROLLER_INTERVAL_SECONDS (it was started by an older version; restart it with"
                + " this one: 'scripts/offhours local stop', then 'local start')",
            "manual override: STOP until 'offhours endpoint auto' gives the endpoint back to the schedule",
            "controller state (raw attributes): lastAction=stop");
    JsonNode json = Json.MAPPER.readTree(run("endpoint", "status", "--json").out());
    assertThat(json.get("status").asText()).isEqualTo("absent");
    assertThat(json.get("controller").get("lastAction").asText()).isEqualTo("stop");
    assertThat(json.get("lastDecision").get("startedBy").asText()).isEqualTo("manual stop");
    assertThat(json.get("outlook").get("nextRunAt").asText()).isEqualTo("2026-11-25T18:10:00Z");
    assertThat(json.get("outlook").get("expectedWake").get("default").asBoolean())
        .isTrue();
    assertThat(json.get("schedule").isNull()).isTrue();
    assertThat(json.get("nextUpload").isNull()).isTrue();
    assertThat(json.get("nextUploadNote").asText())
        .startsWith("the local stack's state file does not record TIME_ZONE,");
  }

  @Test
  void endpointStatusShowsALiveEndpoint() throws IOException {
    String endpoint = "cli-it-endpoint-" + moto.suffix;
    String status = liveEndpoint();

    CliRun run = run("endpoint", "status", "--json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = Json.MAPPER.readTree(run.out());
    assertThat(json.get("endpoint").asText()).isEqualTo(endpoint);
    assertThat(json.get("status").asText()).isEqualTo(status).isNotEqualTo("absent");
    assertThat(json.get("mapping").get("state").asText()).isEqualTo("absent");
    assertThat(json.get("handedBack").isNull()).isTrue();
    assertThat(run("endpoint", "status").outLines().getFirst())
        .startsWith("endpoint " + endpoint + ": " + status);
  }

  @Test
  void aDeployedStacksOutputsTellItsHostingAndAnOlderStackFallsBackToTheEndpointAlone()
      throws IOException {
    String endpoint = "cli-it-serverless-" + moto.suffix;
    String config = "cli-it-serverless-config-" + moto.suffix;
    try (SageMakerClient sageMaker =
            moto.clients.build(Service.SAGEMAKER, SageMakerClient.builder());
        CloudFormationClient cloudFormation =
            moto.clients.build(Service.CLOUDFORMATION, CloudFormationClient.builder())) {
      sageMaker.createModel(r -> r.modelName("cli-it-serverless-model-" + moto.suffix)
          .executionRoleArn("arn:aws:iam::123456789012:role/offhours")
          .primaryContainer(c -> c.image("123456789012.dkr.ecr.us-east-1.amazonaws.com/ic:1")));
      sageMaker.createEndpointConfig(r -> r.endpointConfigName(config)
          .productionVariants(v -> v.variantName("all")
              .modelName("cli-it-serverless-model-" + moto.suffix)
              .serverlessConfig(c -> c.memorySizeInMB(3072).maxConcurrency(5))));
      sageMaker.createEndpoint(r -> r.endpointName(endpoint).endpointConfigName(config));
      String outputs = """
          "EndpointName": {"Value": "%s"}, "EndpointConfigName": {"Value": "%s"},
          "ClassifyMappingId": {"Value": "%s"}, "ControlTableName": {"Value": "%s"}""".formatted(endpoint, config, UUID.randomUUID(), moto.controlTable);
      for (String[] stack : List.of(new String[] {"cli-it-older-" + moto.suffix, ""}, new String[] {
        "cli-it-hosting-" + moto.suffix, ", \"HostingOption\": {\"Value\": \"serverless\"}"
      })) {
        String template = """
            {"Resources": {"Placeholder": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "%s"}}},
             "Outputs": {%s%s}}
            """.formatted(stack[0], outputs, stack[1]);
        cloudFormation.createStack(r -> r.stackName(stack[0]).templateBody(template));
      }
    }

    CliRun older = run("endpoint", "status", "--stack", "cli-it-older-" + moto.suffix);
    assertThat(older.exitCode()).as(older.err()).isZero();
    assertThat(older.outLines().get(1))
        .isEqualTo(
            "hosting: unknown (stack cli-it-older-" + moto.suffix + " has no output HostingOption;"
                + " update the stack with this version's template.yaml); showing the endpoint alone");

    CliRun text = run("endpoint", "status", "--stack", "cli-it-hosting-" + moto.suffix);
    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.outLines().get(1))
        .isEqualTo("hosting: serverless (the stack owns the endpoint; the controller never creates"
            + " nor deletes it)");
    assertThat(text.outLines().get(2))
        .startsWith("serverless config " + config + ": 3072 MB memory, max concurrency 5 (");
    JsonNode json = Json.MAPPER.readTree(
        run("endpoint", "status", "--json", "--stack", "cli-it-hosting-" + moto.suffix)
            .out());
    assertThat(json.get("hosting").asText()).isEqualTo("serverless");
    assertThat(json.get("serverless").get("endpointConfig").asText()).isEqualTo(config);
    assertThat(json.get("serverless").get("memorySizeInMB").asInt()).isEqualTo(3072);
    assertThat(json.get("serverless").get("maxConcurrency").asInt()).isEqualTo(5);
  }

  @Test
  void endpointStartNamesAMissingControllerFunction() {
    CliRun run = run("endpoint", "start", "--until", "2h");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo(
            missing("function", "offhours-controller", "ControllerFunctionName", "functions"));
  }

  @Test
  void stackNamesComeFromCloudFormationOutputs() throws IOException {
    String stack = "cli-it-stack-" + moto.suffix;
    String template =
        """
        {"Resources": {"Placeholder": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "cli-it-cfn-%s"}}},
         "Outputs": {"BucketName": {"Value": "%s"}, "QueueUrl": {"Value": "%s"},
                     "DeadLetterQueueUrl": {"Value": "%s"}, "ControlTableName": {"Value": "%s"}}}
        """.formatted(moto.suffix, moto.bucket, moto.queueUrl, moto.dlqUrl, moto.controlTable);
    try (CloudFormationClient cloudFormation =
        moto.clients.build(Service.CLOUDFORMATION, CloudFormationClient.builder())) {
      cloudFormation.createStack(r -> r.stackName(stack).templateBody(template));
    }
    moto.sqs.sendMessage(r -> r.queueUrl(moto.queueUrl).messageBody("m"));
    Files.delete(StateFile.path(cache)); // proves the names do not come from the local stack

    CliRun queue = run("queue", "--json", "--stack", stack);
    assertThat(queue.exitCode()).as(queue.err()).isZero();
    assertThat(Json.MAPPER.readTree(queue.out()).get("visible").asLong()).isEqualTo(1);

    CliRun results = run("results", "--stack", stack);
    assertThat(results.exitCode()).isEqualTo(1);
    assertThat(results.err())
        .startsWith("offhours: stack " + stack + " has no output ResultsTableName;");

    // On the day the stack was created, whatever the wall clock says by now.
    Instant created = moto.createdAt(stack);
    CliRun cost = moto.run(
        Clock.fixed(created, java.time.ZoneOffset.UTC),
        "--stack",
        stack,
        "cost",
        "--days",
        "7",
        "--time-zone",
        "UTC");
    assertThat(cost.err())
        .as("a stack created today counts today only")
        .startsWith(
            countingFrom(created, java.time.ZoneOffset.UTC, "stack " + stack + " was created"));

    CliRun missing = run("queue", "--stack", "no-such-stack-" + moto.suffix);
    assertThat(missing.err())
        .startsWith("offhours: stack no-such-stack-" + moto.suffix
            + " does not exist in region us-east-1;");
  }

  @Test
  void anUnreachableServiceSaysWhatFailedAndWhereToLook() throws IOException {
    refusedStateFile();
    CliRun run = run("queue");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .startsWith("offhours: queue failed: ")
        .contains("Connection refused", "check it with 'scripts/offhours local status'");
  }
}
