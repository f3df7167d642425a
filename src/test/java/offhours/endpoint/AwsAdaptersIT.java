package offhours.endpoint;

// Needs: moto_server (pip install "moto[server]") on PATH or in ~/.pyenv/shims, or
// OFFHOURS_TEST_AWS_ENDPOINT.

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import offhours.aws.AwsClients.Service;
import offhours.inference.ModelContract;
import offhours.stack.Hosting;
import offhours.stack.StackSpec;
import offhours.testing.AwsServicesExtension;
import offhours.testing.AwsServicesExtension.AwsServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

@ExtendWith(AwsServicesExtension.class)
class AwsAdaptersIT {
  private final AwsServices services;
  private final DynamoDbClient dynamo;
  private final SqsClient sqs;

  AwsAdaptersIT(AwsServices services) {
    this.services = services;
    this.dynamo = services.clients().build(Service.DYNAMODB, DynamoDbClient.builder());
    this.sqs = services.clients().build(Service.SQS, SqsClient.builder());
  }

  @Test
  void theProbesLabelsComeFromTheLabelsFileReadOnceAtInit() {
    String bucket = "offhours-models-" + UUID.randomUUID().toString().substring(0, 8);
    try (S3Client s3 =
        services.clients().build(Service.S3, S3Client.builder().forcePathStyle(true))) {
      s3.createBucket(b -> b.bucket(bucket));
      s3.putObject(
          b -> b.bucket(bucket).key("models/labels.txt"),
          RequestBody.fromString("cat\r\ndog\n\nbird\n"));
    }
    ControllerConfig config = ControllerConfig.fromEnvironment(new java.util.HashMap<>(Map.of(
        "STACK_ID",
        "s",
        "ENDPOINT_NAME",
        "e",
        "ENDPOINT_CONFIG_NAME",
        "c",
        "MAPPING_UUID",
        "u",
        "QUEUE_URL",
        "q",
        "CONTROL_TABLE_NAME",
        "t",
        "LABELS",
        "",
        "LABELS_S3_URI",
        "s3://" + bucket + "/models/labels.txt")));

    ModelContract model = ControllerHandler.withLabels(services.clients(), config.model());

    assertThat(model.labels()).containsExactly("cat", "dog", "bird");
    assertThat(model.labelSource())
        .isEqualTo("LABELS_S3_URI s3://" + bucket + "/models/labels.txt");
    assertThat(ControllerHandler.withLabels(services.clients(), ModelContract.builtIn(List.of("a")))
            .labels())
        .as("LABELS needs no read")
        .containsExactly("a");
  }

  private String table() {
    String name = "offhours-control-" + UUID.randomUUID();
    dynamo.createTable(StackSpec.CONTROL_TABLE.createTableRequest(name));
    return name;
  }

  /** A results table as the stack makes it, with the indexes the cost report reads. */
  private String resultsTable() {
    String name = "offhours-results-" + UUID.randomUUID();
    dynamo.createTable(StackSpec.RESULTS_TABLE.createTableRequest(name));
    return name;
  }

  @Test
  void theControlStateRoundTripsAndAStaleVersionLoses() {
    DynamoControlTable control = new DynamoControlTable(dynamo, table());
    assertThat(control.load()).isEmpty();
    ControlState first = ControlStateBuilder.controlState()
        .override(new ControlState.Override(
            ControlState.Override.Mode.START, Instant.parse("2026-01-14T18:00:00Z")))
        .idleSince(Instant.parse("2026-01-14T09:00:00Z"))
        .scheduleOpen(true)
        .lastRun(Instant.parse("2026-01-14T09:05:00Z"), true)
        .createFailures(2, Instant.parse("2026-01-14T09:15:00Z"))
        .lastAction("CREATE_ENDPOINT: absent")
        // the wake history keeps its order: the oldest is forgotten first
        .wakeSeconds(List.of(612L, 587L, 1804L))
        .drain(new DrainMeter(
            Instant.parse("2026-01-14T09:04:00Z"),
            1250,
            List.of(
                new DrainMeter.Rate(4.85, 1),
                new DrainMeter.Rate(4.3333333333333, 4),
                new DrainMeter.Rate(5.0, 1))))
        .build();
    assertThat(control.save(first, 0)).isTrue();
    assertThat(control.load()).contains(first);

    assertThat(control.save(first.withVersion(2), 0)).as("a second creator").isFalse();
    ControlState second = first
        .forHosting(Hosting.SCALE_TO_ZERO) // what it learned of another hosting goes
        .withWake(95)
        .withOverride(null)
        .withTimerAt(Instant.parse("2026-01-14T09:05:30Z"))
        .withStop(131)
        .withStop(1442) // the stop history keeps its order too
        .withStopIssuedAt(Instant.parse("2026-01-14T09:06:00Z"))
        .withWakeIssuedAt(Instant.parse("2026-01-14T08:52:00Z"))
        .withCounted(ControlState.Counted.UP)
        .withVersion(2);
    assertThat(control.save(second, 1)).isTrue();
    assertThat(control.save(first.withVersion(2), 1))
        .as("an overlapping run that read version 1")
        .isFalse();
    assertThat(control.load()).contains(second);
  }

  @Test
  void theLastDecisionRoundTripsAndAnEarlierRunNeverOverwritesALaterOne() {
    DynamoControlTable control = new DynamoControlTable(dynamo, table());
    assertThat(control.lastDecision()).isEmpty();
    Decision later = new Decision(
        Instant.parse("2026-01-14T09:05:00.250Z"),
        true,
        "working hours; 3 waiting",
        Endpoint.Status.of(
            Endpoint.State.CREATING, null, Instant.parse("2026-01-14T09:00:00Z"), null),
        Mapping.TriggerState.DISABLED,
        new Backlog.Snapshot(3, 0, 1, 0),
        Decision.Action.WAIT,
        "endpoint creating for 5 min",
        "ok",
        false,
        Instant.parse("2026-01-14T09:05:30Z"));
    Decision earlier = new Decision(
        Instant.parse("2026-01-14T09:05:00Z"),
        false,
        "outside working hours",
        Endpoint.Status.ABSENT,
        Mapping.TriggerState.DISABLED,
        Backlog.Snapshot.EMPTY,
        Decision.Action.NONE,
        "off",
        "ok",
        false,
        null);

    control.recordDecision(later, null);
    control.recordDecision(
        earlier, null); // an overlapping run that finished last but decided first

    assertThat(control.lastDecision()).contains(later);
  }

  @Test
  void theLedgerAddsAtomicallyPerLocalDate() {
    DynamoControlTable ledger = new DynamoControlTable(dynamo, table());
    LocalDate day = LocalDate.parse("2026-01-14");
    ledger.add(new Ledger.Day(day, 600, 0, 1, 0));
    ledger.add(new Ledger.Day(day, 300, 120, 0, 1));
    ledger.add(new Ledger.Day(day.plusDays(1), 60, 60, 0, 0));
    ledger.add(new Ledger.Day(day.plusDays(5), 1, 1, 0, 0));
    assertThat(ledger.days(day, day.plusDays(1)))
        .containsExactly(
            new Ledger.Day(day, 900, 120, 1, 1), new Ledger.Day(day.plusDays(1), 60, 60, 0, 0));
  }

  @Test
  void aClaimThatCountsLandsWithEveryDayItCountsOrNotAtAll() {
    DynamoControlTable control = new DynamoControlTable(dynamo, table());
    LocalDate day = LocalDate.parse("2026-01-14");
    // A start at 23:55 on a day whose billed time crosses midnight into the next.
    List<Ledger.Day> counted = List.of(
        new Ledger.Day(day, 300, 300, 1, 0), new Ledger.Day(day.plusDays(1), 600, 600, 0, 0));
    ControlState cut =
        ControlState.INITIAL.withCounted(ControlState.Counted.DOWN).withVersion(1);
    assertThat(control.save(cut, 0)).isTrue();
    ControlState settled = cut.withCounted(ControlState.Counted.UP).withVersion(2);

    assertThat(control.save(settled, 1, counted)).isTrue();
    assertThat(control.save(cut.withCounted(ControlState.Counted.UP).withVersion(2), 1, counted))
        .as("a run that read version 1 too, and lost")
        .isFalse();

    assertThat(control.load()).contains(settled);
    assertThat(control.days(day, day.plusDays(1))).isEqualTo(counted);
  }

  @Test
  void theLedgersStartIsRecordedOnceAndNoLedgerQueryReadsIt() {
    DynamoControlTable ledger = new DynamoControlTable(dynamo, table());
    assertThat(ledger.started()).isEmpty();
    java.time.Instant first = Instant.parse("2026-01-14T14:00:00Z");
    ledger.start(first);
    ledger.start(first.plusSeconds(3600));
    assertThat(ledger.started()).as("a later run never overwrites it").contains(first);
    LocalDate day = LocalDate.parse("2026-01-14");
    ledger.add(new Ledger.Day(day, 60, 0, 1, 0));
    assertThat(ledger.days(LocalDate.parse("2000-01-01"), LocalDate.parse("2999-12-31")))
        .containsExactly(new Ledger.Day(day, 60, 0, 1, 0));
  }

  @Test
  void theLedgersFirstDayIsItsOldestDayFromOneQueryOfOneItem() {
    DynamoControlTable ledger = new DynamoControlTable(dynamo, table());
    assertThat(ledger.firstDay()).isEmpty();
    ledger.start(java.time.Instant.parse("2026-01-20T14:00:00Z")); // pk controller: not a day
    ledger.add(new Ledger.Day(LocalDate.parse("2026-01-14"), 60, 0, 1, 0));
    ledger.add(new Ledger.Day(LocalDate.parse("2026-01-05"), 60, 0, 1, 0));
    ledger.add(new Ledger.Day(LocalDate.parse("2026-02-01"), 60, 0, 1, 0));
    assertThat(ledger.firstDay()).contains(LocalDate.parse("2026-01-05"));
  }

  @Test
  void classifiedResultsAreCountedByTheirLocalDay() {
    String results = resultsTable();
    put(results, "s3://b/a.png", "CLASSIFIED", "2026-01-14T22:59:59Z"); // 23:59:59 in Berlin
    put(results, "s3://b/b.png", "CLASSIFIED", "2026-01-14T23:00:00.123Z"); // 00:00 on the 15th
    put(results, "s3://b/c.png", "REJECTED", "2026-01-14T12:00:00Z");
    put(results, "s3://b/d.png", "CLASSIFIED", "2026-01-20T12:00:00Z");
    CostReport report = CostReport.fromAws(
        dynamo,
        table(),
        results,
        ZoneId.of("Europe/Berlin"),
        LocalDate.parse("2026-01-14"),
        LocalDate.parse("2026-01-15"),
        LedgerPrices.instance("ml.m5.large", 1, 0.115),
        Instant.parse("2026-01-13T23:00:00Z"),
        Instant.parse("2026-01-15T23:00:00Z"),
        CostReport.Reads.AS_THEY_COME);
    assertThat(report.days()).extracting(CostReport.Row::images).containsExactly(1L, 1L);
    assertThat(report.classified())
        .extracting(CostReport.Classified::classifiedAt)
        .containsExactlyInAnyOrder(
            Instant.parse("2026-01-14T22:59:59Z"), Instant.parse("2026-01-14T23:00:00.123Z"));
  }

  /** A result as Classify writes it (a classification has labels, a verdict a reason). */
  private void put(String table, String pk, String status, String classifiedAt) {
    Map<String, AttributeValue> item = new java.util.HashMap<>(Map.of(
        "pk",
        AttributeValue.fromS(pk),
        "sk",
        AttributeValue.fromS("e#1"),
        "status",
        AttributeValue.fromS(status),
        "classifiedAt",
        AttributeValue.fromS(classifiedAt)));
    if (status.equals("CLASSIFIED")) {
      item.put(
          "labels",
          AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of(
              "label", AttributeValue.fromS("Neutral"), "score", AttributeValue.fromN("0.9"))))));
      item.put("topLabel", AttributeValue.fromS("Neutral"));
      item.put("topScore", AttributeValue.fromN("0.9"));
    } else {
      item.put("reason", AttributeValue.fromS("unsupported format"));
    }
    dynamo.putItem(b -> b.tableName(table).item(item));
  }

  @Test
  void theBacklogCountsVisibleInFlightDelayedAndDead() {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String queue = sqs.createQueue(b -> b.queueName("offhours-queue-" + suffix)).queueUrl();
    String dlq = sqs.createQueue(b -> b.queueName("offhours-dlq-" + suffix)).queueUrl();
    for (int i = 0; i < 3; i++) {
      sqs.sendMessage(b -> b.queueUrl(queue).messageBody("{}"));
    }
    sqs.sendMessage(b -> b.queueUrl(queue).messageBody("{}").delaySeconds(600));
    sqs.sendMessage(b -> b.queueUrl(dlq).messageBody("{}"));
    sqs.receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(1).visibilityTimeout(600));
    assertThat(new SqsBacklog(sqs, queue, dlq).read()).isEqualTo(new Backlog.Snapshot(2, 1, 1, 1));
    assertThat(new SqsBacklog(sqs, queue, "").read().dead()).isZero();
  }
}
