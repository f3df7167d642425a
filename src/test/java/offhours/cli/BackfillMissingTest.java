package offhours.cli;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import offhours.cli.Target.Name;
import offhours.results.ResultsTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * A backfill of a stack whose bucket, results table or queue does not exist names it as every command does ({@link
 * Target#on}), where a deleted bucket ended the run with "backfill failed: S3 answered NoSuchBucket", naming none.
 */
class BackfillMissingTest {

  private static final Target PROD = TestTargets.deployed(
      Map.of(
          Name.BUCKET, "photos",
          Name.RESULTS_TABLE, "offhours-results",
          Name.QUEUE_URL, "https://sqs.eu-west-1.amazonaws.com/123456789012/offhours-queue"),
      Map.of());

  @TempDir
  Path dir;

  private RuntimeException s3Fails;
  private RuntimeException dynamoFails;
  private RuntimeException sqsFails;

  @Test
  void aBucketThatDoesNotExistIsNamed() {
    s3Fails = NoSuchBucketException.builder()
        .message("The specified bucket does not exist")
        .build();

    assertThatThrownBy(this::backfill)
        .isInstanceOf(CliException.class)
        .hasMessageStartingWith(
            "bucket photos (BucketName of stack prod) does not exist; check that --stack");
  }

  @Test
  void aResultsTableThatDoesNotExistIsNamed() {
    dynamoFails = ResourceNotFoundException.builder()
        .message("Requested resource not found")
        .build();

    assertThatThrownBy(this::backfill)
        .hasMessageStartingWith(
            "table offhours-results (ResultsTableName of stack prod) does not exist; check that --stack");
  }

  @Test
  void aQueueThatDoesNotExistIsNamed() {
    sqsFails = SqsException.builder()
        .awsErrorDetails(AwsErrorDetails.builder()
            .errorCode("AWS.SimpleQueueService.NonExistentQueue")
            .build())
        .build();

    assertThatThrownBy(this::backfill)
        .hasMessageStartingWith(
            "queue https://sqs.eu-west-1.amazonaws.com/123456789012/offhours-queue"
                + " (QueueUrl of stack prod) does not exist; check that --stack");
  }

  /** One run over a listing of a.png, through clients that fail as set. */
  private void backfill() throws Exception {
    S3Client s3 = new S3Client() {
      @Override
      public ListObjectVersionsResponse listObjectVersions(ListObjectVersionsRequest request) {
        if (s3Fails != null) {
          throw s3Fails;
        }
        return ListObjectVersionsResponse.builder()
            .isTruncated(false)
            .versions(ObjectVersion.builder()
                .key("a.png")
                .versionId("null")
                .isLatest(true)
                .eTag("\"e\"")
                .size(1L)
                .lastModified(Instant.parse("2026-11-25T12:00:00Z"))
                .build())
            .build();
      }

      @Override
      public String serviceName() {
        return "s3";
      }

      @Override
      public void close() {}
    };
    DynamoDbClient dynamoDb = new DynamoDbClient() {
      @Override
      public QueryResponse query(QueryRequest request) {
        if (dynamoFails != null) {
          throw dynamoFails;
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
    SqsClient sqs = new SqsClient() {
      @Override
      public SendMessageResponse sendMessage(SendMessageRequest request) {
        if (sqsFails != null) {
          throw sqsFails;
        }
        return SendMessageResponse.builder().messageId("m").build();
      }

      @Override
      public String serviceName() {
        return "sqs";
      }

      @Override
      public void close() {}
    };
    BackfillCheckpoint checkpoint = BackfillCheckpoint.of(dir, "stack prod", "photos", "");
    new BackfillRun(
            PROD,
            s3,
            sqs,
            new ResultsTable(dynamoDb, "offhours-results"),
            PROD.name(Name.QUEUE_URL),
            "photos",
            "",
            checkpoint,
            Optional.empty(),
            new Progress.Tally(new PrintStream(OutputStream.nullOutputStream()), false),
            1_000_000,
            Long.MAX_VALUE,
            1000)
        .through();
  }
}
