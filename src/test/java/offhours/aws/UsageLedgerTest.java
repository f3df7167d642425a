package offhours.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import offhours.inference.InvocationUsage;
import offhours.testing.FakeDynamoDb;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class UsageLedgerTest {
  private static final Map<String, String> SERVERLESS = Map.of(
      "HOSTING",
      "serverless",
      "CONTROL_TABLE_NAME",
      "control",
      "TIME_ZONE",
      "Europe/Berlin",
      "SERVERLESS_MEMORY_MB",
      "3072");

  private final FakeDynamoDb dynamo = new FakeDynamoDb();
  private final List<String> lost = new ArrayList<>();
  // 23:30 UTC on 2 December is 00:30 on 3 December in Berlin: the ledger's day is the configured
  // zone's.
  private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T23:30:00Z"), ZoneId.of("UTC"));

  private UsageLedger ledger(Map<String, String> env) {
    return new UsageLedger(
        dynamo,
        UsageLedger.Settings.fromEnv(env, Map.of()),
        clock,
        (n, millis, e) -> lost.add(UsageLedger.tally(n, millis) + ": " + e.getMessage()));
  }

  @Test
  void aTallyAddsItsInvocationsTimeMemoryAndBytesInAndOutToTheLocalDaysItemInOneAdd() {
    InvocationUsage tally = new InvocationUsage();
    tally.add(120, 50_000, 1_000); // the image sent, the answer received: both are data processed
    tally.add(80, 30_000, 500);
    ledger(SERVERLESS).add(tally);

    assertThat(dynamo.updates).singleElement().satisfies(u -> {
      assertThat(u.tableName()).isEqualTo("control");
      assertThat(u.key())
          .isEqualTo(Map.of(
              "pk", AttributeValue.fromS("ledger"), "sk", AttributeValue.fromS("2026-12-03")));
      assertThat(u.updateExpression())
          .isEqualTo("ADD invocations :invocations, invocationMillis :invocationMillis,"
              + " invocationMbMillis :invocationMbMillis, invocationBytes :invocationBytes");
      assertThat(u.expressionAttributeValues())
          .isEqualTo(Map.of(
              ":invocations",
              AttributeValue.fromN("2"),
              ":invocationMillis",
              AttributeValue.fromN("200"),
              ":invocationMbMillis",
              AttributeValue.fromN("614400"),
              ":invocationBytes",
              AttributeValue.fromN("81500")));
    });
  }

  @Test
  void otherHostingsAndEmptyTalliesWriteNothing() {
    InvocationUsage tally = new InvocationUsage();
    tally.add(100, 1, 0);
    ledger(Map.of("HOSTING", "scheduled")).add(tally);
    ledger(Map.of()).add(tally);
    ledger(SERVERLESS).add(new InvocationUsage());
    assertThat(dynamo.updates).isEmpty();
  }

  @Test
  void aFailedWriteIsReportedAndNeverThrows() {
    dynamo.failWith = new IllegalStateException("throttled");
    InvocationUsage tally = new InvocationUsage();
    tally.add(100, 1, 0);
    ledger(SERVERLESS).add(tally);
    assertThat(lost).containsExactly("1 invocation, 100 ms: throttled");
  }

  @Test
  void aTallyCountsItsInvocationsInTheGrammarOfTheCount() {
    assertThat(UsageLedger.tally(0, 0)).isEqualTo("0 invocations, 0 ms");
    assertThat(UsageLedger.tally(1, 250)).isEqualTo("1 invocation, 250 ms");
    assertThat(UsageLedger.tally(3, 420)).isEqualTo("3 invocations, 420 ms");
  }

  @Test
  void serverlessNeedsTheControlTableAndAMemorySageMakerOffers() {
    assertThatThrownBy(() -> UsageLedger.Settings.fromEnv(
            Map.of("HOSTING", "serverless", "SERVERLESS_MEMORY_MB", "2048"), Map.of()))
        .hasMessageStartingWith("CONTROL_TABLE_NAME is not set");
    assertThatThrownBy(() -> UsageLedger.Settings.fromEnv(
            Map.of(
                "HOSTING", "serverless", "CONTROL_TABLE_NAME", "c", "SERVERLESS_MEMORY_MB", "1500"),
            Map.of("TIME_ZONE", "UTC")))
        .hasMessage(
            "SERVERLESS_MEMORY_MB must be 1024, 2048, 3072, 4096, 5120 or 6144, got '1500'");
    assertThat(UsageLedger.Settings.fromEnv(SERVERLESS, Map.of()))
        .isEqualTo(new UsageLedger.Settings("control", ZoneId.of("Europe/Berlin"), 3072));
  }

  /** The zone and the memory come from the function's defaults when unset or blank; without one they are required. */
  @Test
  void anUnsetZoneOrMemoryTakesTheFunctionsDefault() {
    Map<String, String> env =
        Map.of("HOSTING", "serverless", "CONTROL_TABLE_NAME", "control", "TIME_ZONE", " ");
    Map<String, String> defaults =
        Map.of("TIME_ZONE", "Asia/Tokyo", "SERVERLESS_MEMORY_MB", "4096");

    assertThat(UsageLedger.Settings.fromEnv(env, defaults))
        .isEqualTo(new UsageLedger.Settings("control", ZoneId.of("Asia/Tokyo"), 4096));
    assertThatThrownBy(() -> UsageLedger.Settings.fromEnv(env, Map.of("TIME_ZONE", "UTC")))
        .hasMessage("SERVERLESS_MEMORY_MB must be 1024, 2048, 3072, 4096, 5120 or 6144, got ''");
  }

  /** The ledger's days are the controller's: its zone is read by the same rule (IanaZones), offsets refused. */
  @Test
  void aFixedOffsetZoneIsRefusedAsTheControllersIs() {
    for (String offset : new String[] {"GMT+1", "+02:00"}) {
      assertThatThrownBy(() -> UsageLedger.Settings.fromEnv(
              Map.of("HOSTING", "serverless", "CONTROL_TABLE_NAME", "c", "TIME_ZONE", offset),
              Map.of("SERVERLESS_MEMORY_MB", "2048")))
          .as(offset)
          .hasMessageStartingWith("TIME_ZONE needs an IANA zone such as Europe/Berlin, got '"
              + offset + "', a fixed offset");
    }
    assertThat(UsageLedger.Settings.fromEnv(
                Map.of("HOSTING", "serverless", "CONTROL_TABLE_NAME", "c", "TIME_ZONE", "Etc/UTC"),
                Map.of("SERVERLESS_MEMORY_MB", "2048"))
            .zone())
        .isEqualTo(ZoneId.of("Etc/UTC"));
  }
}
