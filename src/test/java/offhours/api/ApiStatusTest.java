package offhours.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import offhours.testing.FakeDynamoDb;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

class ApiStatusTest {

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
