package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import offhours.aws.AwsClients.Service;
import offhours.endpoint.DynamoControlTable;
import offhours.endpoint.Ledger;
import offhours.testing.AwsServicesExtension;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code offhours cost --stack} for a deployed stack (a CloudFormation stack on moto_server, started by {@link
 * AwsServicesExtension}): priced by its own parameters, flags still winning.
 */
class DeployedCostIT extends OnMotoStack {
  @Test
  void costPricesADeployedStackWithItsOwnParametersAndFlagsStillWin() throws IOException {
    String stack = "cli-it-priced-" + moto.suffix;
    java.time.ZoneId zone =
        java.time.ZoneId.of("Pacific/Kiritimati"); // UTC+14: its date is rarely UTC's
    deploy(
        stack,
        Map.of(
            "InstanceType", "ml.g4dn.xlarge",
            "InstanceCount", "3",
            "InstanceHourlyPriceUsd", "0.7364",
            "TimeZone", zone.getId()));
    // The command runs on the day the stack was created (in its zone), whatever the wall clock
    // says by now: the ledger item below is that day's.
    Clock onCreationDay = Clock.fixed(moto.createdAt(stack), java.time.ZoneOffset.UTC);
    java.time.LocalDate today = java.time.LocalDate.ofInstant(onCreationDay.instant(), zone);
    new DynamoControlTable(moto.dynamoDb, moto.controlTable)
        .add(new Ledger.Day(today, 3600, 0, 1, 1));

    CliRun priced = moto.run(onCreationDay, "--stack", stack, "cost", "--days", "2", "--json");

    assertThat(priced.exitCode()).as(priced.err()).isZero();
    assertThat(priced.err())
        .as("the stack's days are its TimeZone's")
        .isEqualTo(countingFrom(onCreationDay.instant(), zone, "stack " + stack + " was created"));
    JsonNode total = CliRun.jsonLinesOf(priced).getLast();
    assertThat(total.get("instanceType").asText()).isEqualTo("ml.g4dn.xlarge");
    assertThat(total.get("instanceCount").asInt()).isEqualTo(3);
    assertThat(total.get("hourlyPriceUsd").asDouble()).isEqualTo(0.7364);
    assertThat(total.get("costUsd").asDouble()).isEqualTo(2.2092);

    CliRun flags = moto.run(
        onCreationDay,
        "--stack",
        stack,
        "cost",
        "--days",
        "2",
        "--json",
        "--price",
        "1",
        "--instances",
        "1");
    assertThat(CliRun.jsonLinesOf(flags).getLast().get("costUsd").asDouble()).isEqualTo(1.0);
  }

  @Test
  void costPricesAServerlessStackByTheInvocationsClassifyRecordedAndCompareBillsThemInGbSeconds()
      throws IOException {
    String stack = "cli-it-serverless-cost-" + moto.suffix;
    deploy(
        stack,
        Map.of(
            "Hosting", "serverless",
            "ServerlessMemorySizeInMB", "4096",
            "InstanceType", "ml.c5.large",
            "TimeZone", "UTC"));
    // Noon: the day's ledger item and the result (2 s before) are that day's, and so is the
    // commands' today, whenever the test runs.
    // The day after the stack was created: always-on has been on since its midnight.
    java.time.LocalDate today = java.time.LocalDate.ofInstant(
            moto.createdAt(stack), java.time.ZoneOffset.UTC)
        .plusDays(1);
    java.time.Instant now = today.atTime(12, 0).toInstant(java.time.ZoneOffset.UTC);
    Clock noon = Clock.fixed(now, java.time.ZoneOffset.UTC);
    // What Classify adds to the day's ledger item after its batches
    // (offhours.aws.UsageLedger):
    // 100 invocations of 1.5 s on 4 GB (600 GB-s) and 0.5 GB of data; no endpoint time.
    moto.dynamoDb.updateItem(r -> r.tableName(moto.controlTable)
        .key(Map.of(
            "pk", AttributeValue.fromS("ledger"), "sk", AttributeValue.fromS(today.toString())))
        .updateExpression(
            "ADD invocations :n, invocationMillis :ms, invocationMbMillis :mbms, invocationBytes :b")
        .expressionAttributeValues(Map.of(
            ":n", AttributeValue.fromN("100"),
            ":ms", AttributeValue.fromN("150000"),
            ":mbms", AttributeValue.fromN(Long.toString(150_000L * 4096)),
            ":b", AttributeValue.fromN("500000000"))));
    new offhours.results.ResultsTable(moto.dynamoDb, moto.resultsTable)
        .put(new offhours.results.ResultItem(
            "s3://" + moto.bucket + "/cats/tom.jpg",
            "e#1",
            moto.bucket,
            "cats/tom.jpg",
            null,
            "1",
            null,
            1234L,
            offhours.results.ResultItem.Verdict.CLASSIFIED,
            null,
            List.of(new offhours.results.ResultItem.Label("Neutral", 0.9)),
            "Neutral",
            0.9,
            "m1",
            "e",
            now.minusSeconds(2),
            now.minusMillis(500),
            1,
            null,
            null));

    CliRun json = moto.run(noon, "--stack", stack, "cost", "--days", "1", "--json");

    JsonNode total = CliRun.jsonLinesOf(json).getLast();
    assertThat(total.get("hosting").asText()).isEqualTo("serverless");
    assertThat(total.get("endpointHours").asDouble()).isZero();
    assertThat(total.get("images").asInt()).isEqualTo(1);
    assertThat(total.get("serverlessInvocations").asLong()).isEqualTo(100);
    assertThat(total.get("serverlessGbSeconds").asDouble()).isEqualTo(600.0);
    assertThat(total.get("costUsd").asDouble())
        .as("600 GB-s x $0.00002 + 0.5 GB x $0.016")
        .isEqualTo(0.02);
    // The commands' clock says noon: always-on counts today's 12 h so far, not 24.
    assertThat(total.get("alwaysOnCostUsd").asDouble())
        .as("an always-on ml.c5.large at the template's default price, 12 h x $0.115")
        .isEqualTo(1.38);
    assertThat(total.get("savedPercent").asDouble()).as("1 - 0.02 / 1.38").isEqualTo(98.55);
    assertThat(moto.run(noon, "--stack", stack, "cost", "--days", "1").out())
        .contains(
            "Hosting: serverless, billed per invocation",
            "Serverless: 100 invocations, 600.0 GB-s at $0.00002/GB-s, 0.500 GB at $0.016/GB:"
                + " $0.0200 (in cost $)");
    assertThat(CliRun.jsonLinesOf(moto.run(
                noon,
                "--stack",
                stack,
                "cost",
                "--days",
                "1",
                "--json",
                "--serverless-gb-second",
                "0.0001"))
            .getLast()
            .get("costUsd")
            .asDouble())
        .as("the flag's price")
        .isEqualTo(0.068);

    List<JsonNode> compare = CliRun.jsonLinesOf(
        moto.run(noon, "--stack", stack, "cost", "--days", "1", "--compare", "--json"));
    assertThat(compare)
        .filteredOn(j -> j.get("option").asText().startsWith("offhours (this stack"))
        .singleElement()
        .satisfies(own -> {
          assertThat(own.get("option").asText()).isEqualTo("offhours (this stack, serverless)");
          assertThat(own.get("unit").asText()).isEqualTo("GB-s");
          assertThat(own.get("billedUnits").asDouble()).isEqualTo(600.0);
          assertThat(own.get("costUsd").asDouble()).as("the report's cost").isEqualTo(0.02);
        });
    assertThat(compare)
        .filteredOn(j -> j.get("option").asText().equals("always on"))
        .singleElement()
        .satisfies(always -> {
          assertThat(always.get("billedUnits").asDouble()).as("until noon").isEqualTo(12.0);
          assertThat(always.get("until").asText()).isEqualTo(now.toString());
        });
    assertThat(compare)
        .filteredOn(j -> j.get("option").asText().equals("serverless"))
        .singleElement()
        .satisfies(model -> assertThat(model.get("note").asText())
            .as("modelled at the stack's memory")
            .startsWith("4 GB,"));
  }

  /**
   * A deployed stack {@code name} on moto's CloudFormation with {@code parameters} (each a String parameter) and the
   * outputs naming this test's control and results tables, as cost reads them.
   */
  private void deploy(String name, Map<String, String> parameters) throws IOException {
    ObjectNode template = Json.MAPPER.createObjectNode();
    ObjectNode declared = template.putObject("Parameters");
    parameters.keySet().forEach(key -> declared.putObject(key).put("Type", "String"));
    ObjectNode queue = template.putObject("Resources").putObject("Placeholder");
    queue.put("Type", "AWS::SQS::Queue").putObject("Properties").put("QueueName", name);
    ObjectNode outputs = template.putObject("Outputs");
    outputs.putObject("ControlTableName").put("Value", moto.controlTable);
    outputs.putObject("ResultsTableName").put("Value", moto.resultsTable);
    try (CloudFormationClient cloudFormation =
        moto.clients.build(Service.CLOUDFORMATION, CloudFormationClient.builder())) {
      cloudFormation.createStack(r -> r.stackName(name)
          .templateBody(template.toString())
          .parameters(parameters.entrySet().stream()
              .map(p -> Parameter.builder()
                  .parameterKey(p.getKey())
                  .parameterValue(p.getValue())
                  .build())
              .toList()));
    }
  }
}
