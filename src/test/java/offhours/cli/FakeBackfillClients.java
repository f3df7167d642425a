package offhours.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import offhours.classify.ObjectNotification;
import offhours.results.ResultsTable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/**
 * The three clients a {@link BackfillRun} calls, as small fakes: S3 lists {@code keys} in one page, the results table
 * has a result for none of them, and SQS hands each notification's key to {@link #onSend}. A call whose failure is set
 * ({@link #listFails}, {@link #queryFails}, {@link #sendFails}) throws it.
 */
final class FakeBackfillClients {
  private final List<String> keys;
  RuntimeException listFails;
  RuntimeException queryFails;
  RuntimeException sendFails;
  Consumer<String> onSend = key -> {};

  FakeBackfillClients(List<String> keys) {
    this.keys = List.copyOf(keys);
  }

  /**
   * A backfill of all of {@code bucket} on {@code target} through these clients, to {@code queueUrl} and the results
   * {@code table}, that never waits (a rate of a million a second) and shows no progress.
   */
  BackfillRun run(
      Target target,
      String bucket,
      String queueUrl,
      String table,
      BackfillCheckpoint checkpoint,
      Optional<String> after) {
    return new BackfillRun(
        target,
        s3(),
        sqs(),
        new ResultsTable(dynamoDb(), table),
        queueUrl,
        bucket,
        "",
        checkpoint,
        after,
        new Progress.Tally(new PrintStream(OutputStream.nullOutputStream()), false),
        1_000_000,
        Long.MAX_VALUE,
        1000);
  }

  private S3Client s3() {
    return new S3Client() {
      @Override
      public ListObjectVersionsResponse listObjectVersions(ListObjectVersionsRequest request) {
        if (listFails != null) {
          throw listFails;
        }
        return ListObjectVersionsResponse.builder()
            .isTruncated(false)
            .versions(keys.stream()
                .map(k -> ObjectVersion.builder()
                    .key(k)
                    .versionId("null")
                    .isLatest(true)
                    .eTag("\"e-" + k + "\"")
                    .size(1L)
                    .lastModified(Instant.parse("2026-11-25T12:00:00Z"))
                    .build())
                .toList())
            .build();
      }

      @Override
      public String serviceName() {
        return "s3";
      }

      @Override
      public void close() {}
    };
  }

  private SqsClient sqs() {
    return new SqsClient() {
      @Override
      public SendMessageResponse sendMessage(SendMessageRequest request) {
        if (sendFails != null) {
          throw sendFails;
        }
        onSend.accept(ObjectNotification.read(request.messageBody()).getFirst().key());
        return SendMessageResponse.builder().messageId("m").build();
      }

      @Override
      public String serviceName() {
        return "sqs";
      }

      @Override
      public void close() {}
    };
  }

  private DynamoDbClient dynamoDb() {
    return new DynamoDbClient() {
      @Override
      public QueryResponse query(QueryRequest request) {
        if (queryFails != null) {
          throw queryFails;
        }
        return QueryResponse.builder().items(List.of()).build();
      }

      @Override
      public String serviceName() {
        return "dynamodb";
      }

      @Override
      public void close() {}
    };
  }
}
