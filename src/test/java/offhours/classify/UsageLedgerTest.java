package offhours.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

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

  private final List<UpdateItemRequest> updates = new ArrayList<>();
  private RuntimeException failWith;
  private final DynamoDbClient dynamo = new DynamoDbClient() {
    @Override
    public UpdateItemResponse updateItem(UpdateItemRequest request) {
      if (failWith != null) {
        throw failWith;
      }
      updates.add(request);
      return UpdateItemResponse.builder().build();
    }

    @Override
    public String serviceName() {
      return "dynamodb";
    }

    @Override
    public void close() {}
  };
  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
  // 23:30 UTC on 2 December is 00:30 on 3 December in Berlin: the ledger's day is the configured
  // zone's.
  private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T23:30:00Z"), ZoneId.of("UTC"));

  private UsageLedger ledger(Map<String, String> env) {
    return new UsageLedger(
        dynamo,
        UsageLedger.Settings.fromEnv(env),
        clock,
        new OutcomeLog(new PrintStream(logged, true, StandardCharsets.UTF_8)));
  }

  @Test
  void aBatchAddsItsInvocationsTimeMemoryAndBytesInAndOutToTheLocalDaysItemInOneAdd() {
    UsageLedger.BatchUsage tally = new UsageLedger.BatchUsage();
    tally.add(120, 50_000, 1_000); // the image sent, the answer received: both are data processed
    tally.add(80, 30_000, 500);
    ledger(SERVERLESS).add(tally);

    assertThat(updates).singleElement().satisfies(u -> {
      assertThat(u.tableName()).isEqualTo("control");
      assertThat(u.key())
          .isEqualTo(Map.of(
              "pk", AttributeValue.fromS("ledger"), "sk", AttributeValue.fromS("2026-12-03")));
      assertThat(u.updateExpression())
          .isEqualTo(
              "ADD invocations :n, invocationMillis :ms, invocationMbMillis :mbms, invocationBytes :b");
      assertThat(u.expressionAttributeValues())
          .isEqualTo(Map.of(
              ":n",
              AttributeValue.fromN("2"),
              ":ms",
              AttributeValue.fromN("200"),
              ":mbms",
              AttributeValue.fromN("614400"),
              ":b",
              AttributeValue.fromN("81500")));
    });
  }

  @Test
  void otherHostingsAndEmptyBatchesWriteNothing() {
    UsageLedger.BatchUsage tally = new UsageLedger.BatchUsage();
    tally.add(100, 1, 0);
    ledger(Map.of("HOSTING", "scheduled")).add(tally);
    ledger(Map.of()).add(tally);
    ledger(SERVERLESS).add(new UsageLedger.BatchUsage());
    assertThat(updates).isEmpty();
  }

  @Test
  void aFailedWriteIsLoggedAndNeverFailsTheBatch() {
    failWith = new IllegalStateException("throttled");
    UsageLedger.BatchUsage tally = new UsageLedger.BatchUsage();
    tally.add(100, 1, 0);
    ledger(SERVERLESS).add(tally);
    assertThat(logged.toString(StandardCharsets.UTF_8))
        .contains("\"level\":\"WARN\"")
        .contains("not updated: 1 invocations, 100 ms lost")
        .contains("throttled");
  }

  @Test
  void serverlessNeedsTheControlTableAndAMemorySageMakerOffers() {
    assertThatThrownBy(() -> UsageLedger.Settings.fromEnv(
            Map.of("HOSTING", "serverless", "SERVERLESS_MEMORY_MB", "2048")))
        .hasMessageStartingWith("CONTROL_TABLE_NAME is not set");
    assertThatThrownBy(() -> UsageLedger.Settings.fromEnv(Map.of(
            "HOSTING", "serverless", "CONTROL_TABLE_NAME", "c", "SERVERLESS_MEMORY_MB", "1500")))
        .hasMessage(
            "SERVERLESS_MEMORY_MB must be 1024, 2048, 3072, 4096, 5120 or 6144, got '1500'");
    assertThat(UsageLedger.Settings.fromEnv(SERVERLESS))
        .isEqualTo(new UsageLedger.Settings("control", ZoneId.of("Europe/Berlin"), 3072));
  }
}
