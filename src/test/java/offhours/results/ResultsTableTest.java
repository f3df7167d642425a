package offhours.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import offhours.results.ResultItem.Label;
import offhours.results.ResultItem.ObjectVersion;
import offhours.stack.StackSpec;
import offhours.testing.FakeDynamoDb;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

class ResultsTableTest {

  static final ResultItem CLASSIFIED = ResultItem.classified(
      new ObjectVersion(
          "offhours-images",
          "café au lait.png",
          null,
          "0f1b4a59",
          "0067A1",
          240512L,
          Instant.parse("2026-11-25T10:00:00Z")),
      List.of(new Label("Neutral", 0.91), new Label("Drawing", 0.06)),
      "probabilities",
      "offhours-model",
      "offhours-endpoint",
      Instant.parse("2026-11-25T10:00:05.123Z"),
      1);

  static final ResultItem REJECTED = ResultItem.rejected(
      new ObjectVersion("offhours-images", "notes.png", "3HL4kq", "2c9d3b4e", null, 41L, null),
      "unsupported format: object s3://offhours-images/notes.png looks like text; offhours accepts JPEG and PNG",
      null,
      "offhours-endpoint",
      Instant.parse("2026-11-25T10:00:06Z"),
      2);

  @Test
  void aVerdictIsWrittenOnlyWhenNoResultExistsForThatVersion() {
    PutItemRequest request =
        new ResultsTable(new FakeDynamoDb(), "offhours-results").putRequest(REJECTED);

    assertThat(request.tableName()).isEqualTo("offhours-results");
    assertThat(request.conditionExpression()).isEqualTo("attribute_not_exists(pk)");
  }

  @Test
  void aClassificationMayReplaceAVerdictOrAnotherModelsClassificationButNothingElse() {
    PutItemRequest request =
        new ResultsTable(new FakeDynamoDb(), "offhours-results").putRequest(CLASSIFIED);

    assertThat(request.conditionExpression())
        .isEqualTo("attribute_not_exists(pk) OR #status = :rejected"
            + " OR attribute_not_exists(#model) OR #model <> :model");
    assertThat(request.expressionAttributeNames())
        .isEqualTo(Map.of("#status", "status", "#model", "model"));
    assertThat(request.expressionAttributeValues())
        .isEqualTo(Map.of(
            ":rejected",
            AttributeValue.fromS("REJECTED"),
            ":model",
            AttributeValue.fromS(CLASSIFIED.model())));
  }

  @Test
  void aClassificationWithItsSettingsAlsoReplacesOneOfTheSameModelUnderOtherOrUnknownSettings() {
    ResultItem current = CLASSIFIED.withSettings("f74d3ec496f3");
    PutItemRequest request =
        new ResultsTable(new FakeDynamoDb(), "offhours-results").putRequest(current);

    assertThat(ResultItemFormat.toItem(current))
        .containsEntry("settings", AttributeValue.fromS("f74d3ec496f3"));
    assertThat(ResultItemFormat.fromItem(ResultItemFormat.toItem(current))).isEqualTo(current);
    assertThat(request.conditionExpression())
        .isEqualTo("attribute_not_exists(pk) OR #status = :rejected"
            + " OR attribute_not_exists(#model) OR #model <> :model"
            + " OR attribute_not_exists(#settings) OR #settings <> :settings");
    assertThat(request.expressionAttributeNames())
        .isEqualTo(Map.of("#status", "status", "#model", "model", "#settings", "settings"));
    assertThat(request.expressionAttributeValues())
        .isEqualTo(Map.of(
            ":rejected",
            AttributeValue.fromS("REJECTED"),
            ":model",
            AttributeValue.fromS(CLASSIFIED.model()),
            ":settings",
            AttributeValue.fromS("f74d3ec496f3")));
  }

  @Test
  void putTellsWhetherTheResultWasWritten() {
    FakeDynamoDb dynamo = new FakeDynamoDb();
    ResultsTable table = new ResultsTable(dynamo, "offhours-results");

    assertThat(table.put(CLASSIFIED)).isTrue();
    assertThat(table.put(CLASSIFIED)).isFalse();
    assertThat(dynamo.items).hasSize(1);
  }

  @Test
  void keysFollowTheContract() {
    assertThat(new ObjectVersion("b", "a b/ü.jpg", null, "etag", "01", null, null).pk())
        .isEqualTo("s3://b/a b/ü.jpg");
    assertThat(new ObjectVersion("b", "k", "3HL4kq", "etag", "01", null, null).sk())
        .isEqualTo("v#3HL4kq");
    assertThat(new ObjectVersion("b", "k", null, "etag", "01", null, null).sk())
        .isEqualTo("e#etag");
    assertThat(new ObjectVersion("b", "k", null, null, "01", null, null).sk())
        .as("never sent by S3, still kept")
        .isEqualTo("s#01");
    ResultItem message = ResultItem.rejectedMessage(
        "offhours-queue", "m-1", "record-2", "not an S3 notification", null, "e", Instant.EPOCH, 1);
    assertThat(message.pk()).isEqualTo("sqs://offhours-queue/m-1");
    assertThat(message.sk()).isEqualTo("m#record-2");
  }

  @Test
  void scanRejectsAnUnknownStatus() {
    assertThatThrownBy(() ->
            new ResultsTable(new FakeDynamoDb(), "t").scan(java.util.Optional.of("classified")))
        .hasMessage("status must be CLASSIFIED or REJECTED, got 'classified'");
  }

  @Test
  void aVerdictWithoutAReasonIsABug() {
    assertThatThrownBy(() -> ResultItem.rejected(
            new ObjectVersion("b", "k", null, "1", null, 1L, null),
            " ",
            null,
            null,
            Instant.EPOCH,
            1))
        .hasMessage("a REJECTED result needs a reason (s3://b/k)");
  }

  @Test
  void theSchemaHasTheKeyAndTheLabelAndStatusIndexes() {
    CreateTableRequest schema = StackSpec.RESULTS_TABLE.createTableRequest("offhours-results");

    assertThat(schema.keySchema())
        .extracting(k -> k.attributeName() + ":" + k.keyTypeAsString())
        .containsExactly("pk:HASH", "sk:RANGE");
    assertThat(schema.globalSecondaryIndexes())
        .extracting(
            i -> i.indexName(),
            i -> i.keySchema().stream()
                .map(k -> k.attributeName() + ":" + k.keyTypeAsString())
                .toList(),
            i -> i.projection().projectionTypeAsString())
        .containsExactly(
            tuple("byLabel", List.of("topLabel:HASH", "classifiedAt:RANGE"), "ALL"),
            tuple("byStatus", List.of("status:HASH", "classifiedAt:RANGE"), "ALL"));
    assertThat(schema.billingModeAsString()).isEqualTo("PAY_PER_REQUEST");
  }

  @Test
  void aPeriodOfOneStatusIsAQueryOfTheStatusIndexNeverAScan() {
    Instant from = Instant.parse("2026-11-25T00:00:00Z");
    Instant to = Instant.parse("2026-11-26T00:00:00Z");
    List<QueryRequest> asked = new java.util.ArrayList<>();
    // Two pages, as DynamoDB answers, in the index's order (classifiedAt as a string, the margin's
    // items too).
    List<List<Map<String, AttributeValue>>> pages = List.of(
        List.of(
            at("before.png", "2026-11-24T23:59:59.500Z"),
            at("first.png", "2026-11-25T00:00:00.000Z"),
            // written before three fraction digits: sorts among the others of its second
            at("older-format.png", "2026-11-25T12:00:00.1Z")),
        List.of(
            at("last.png", "2026-11-25T23:59:59.999Z"),
            at("next-day.png", "2026-11-26T00:00:00.000Z"),
            Map.of("pk", AttributeValue.fromS("not a result"))));
    software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo =
        new software.amazon.awssdk.services.dynamodb.DynamoDbClient() {
          @Override
          public QueryResponse query(QueryRequest request) {
            asked.add(request);
            QueryResponse.Builder page = QueryResponse.builder().items(pages.get(asked.size() - 1));
            return asked.size() == 1
                ? page.lastEvaluatedKey(Map.of("pk", AttributeValue.fromS("p"))).build()
                : page.build();
          }

          @Override
          public String serviceName() {
            return "dynamodb";
          }

          @Override
          public void close() {}
        };

    List<ResultItem> results =
        new ResultsTable(dynamo, "t").withStatusBetween(ResultItem.Verdict.CLASSIFIED, from, to);

    assertThat(results)
        .extracting(ResultItem::key)
        .containsExactly("first.png", "older-format.png", "last.png");
    assertThat(asked).hasSize(2);
    assertThat(asked.getFirst().indexName()).isEqualTo(ResultsTable.STATUS_INDEX);
    assertThat(asked.getFirst().keyConditionExpression())
        .isEqualTo("#status = :status AND classifiedAt BETWEEN :from AND :to");
    assertThat(asked.getFirst().expressionAttributeValues())
        .containsEntry(":status", AttributeValue.fromS("CLASSIFIED"))
        .containsEntry(":from", AttributeValue.fromS("2026-11-24T23:59:59.000Z"))
        .containsEntry(":to", AttributeValue.fromS("2026-11-26T00:00:01.000Z"));
    assertThat(asked.get(1).exclusiveStartKey()).containsEntry("pk", AttributeValue.fromS("p"));
  }

  private static Map<String, AttributeValue> at(String key, String classifiedAt) {
    Map<String, AttributeValue> item = new java.util.HashMap<>(ResultItemFormat.toItem(CLASSIFIED));
    item.put("key", AttributeValue.fromS(key));
    item.put("classifiedAt", AttributeValue.fromS(classifiedAt));
    return item;
  }
}
