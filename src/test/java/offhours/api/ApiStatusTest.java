package offhours.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Map;
import offhours.endpoint.DynamoControlTable;
import offhours.testing.FakeDynamoDb;
import offhours.testing.QueueAttributesSqs;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

class ApiStatusTest {

  private static final ApiRequest STATUS = new ApiRequest(
      "GET", "/status", "GET /status", Map.of(), Map.of(), Map.of(), new byte[0], "req-1");

  @Test
  @SuppressWarnings("unchecked")
  void theLedgersStartIsReadUntilTheControllerRecordedItThenKeptForTheContainersLife()
      throws Exception {
    FakeDynamoDb dynamo = new FakeDynamoDb();
    ApiConfig config = ApiFixtures.config();
    String control = config.controller().controlTableName();
    Api api = new Api(
        ApiFixtures.unused(S3Client.class),
        new QueueAttributesSqs(new ArrayList<>()),
        dynamo,
        ApiFixtures.unused(SageMakerRuntimeClient.class),
        config,
        Clock.fixed(Instant.parse("2026-11-25T09:40:00Z"), ZoneOffset.UTC));

    assertThat(api.handle(STATUS).status()).isEqualTo(200);
    assertThat(api.handle(STATUS).status()).isEqualTo(200);
    assertThat(dynamo.getsOf("ledgerStart"))
        .as("before the controller's first run: asked at each request")
        .isEqualTo(2);

    Instant first = Instant.parse("2026-11-25T07:40:00Z");
    new DynamoControlTable(dynamo, control).start(first);
    for (int i = 0; i < 3; i++) {
      ApiResponse answer = api.handle(STATUS);
      Map<String, Object> ledger = (Map<String, Object>)
          new ObjectMapper().readValue(answer.body(), Map.class).get("ledger");
      assertThat(ledger).containsEntry("alwaysOnSince", first.toString());
    }
    assertThat(dynamo.getsOf("ledgerStart"))
        .as("read once more, then kept: the controller writes it once")
        .isEqualTo(3);
  }

  @Test
  void aControlItemEditedByHandIsAServerErrorThatSaysWhichItemAndWhereToLookNotABadRequest() {
    FakeDynamoDb dynamo = new FakeDynamoDb();
    ApiConfig config = ApiFixtures.config();
    dynamo.putItem(r -> r.tableName(config.controller().controlTableName())
        .item(Map.of(
            "pk", AttributeValue.fromS("controller"),
            "sk", AttributeValue.fromS("decision"),
            "endpoint", AttributeValue.fromS("HALF_ON"))));
    Api api = new Api(
        ApiFixtures.unused(S3Client.class),
        ApiFixtures.unused(SqsClient.class),
        dynamo,
        ApiFixtures.unused(SageMakerRuntimeClient.class),
        config,
        Clock.fixed(Instant.parse("2026-11-25T09:40:00Z"), ZoneOffset.UTC));

    ApiResponse answer = api.handle(new ApiRequest(
        "GET", "/status", "GET /status", Map.of(), Map.of(), Map.of(), new byte[0], "req-1"));

    assertThat(answer.status()).as(answer.body()).isEqualTo(500);
    assertThat(answer.body())
        .contains(
            "the control table's controller/decision item does not read as this version writes it",
            "HALF_ON",
            "scripts/offhours endpoint status` shows its raw attributes");
  }
}
