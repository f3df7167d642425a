package offhours.cli;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import offhours.cli.Target.Name;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
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

  private final FakeBackfillClients clients = new FakeBackfillClients(List.of("a.png"));

  @Test
  void aBucketThatDoesNotExistIsNamed() {
    clients.listFails = NoSuchBucketException.builder()
        .message("The specified bucket does not exist")
        .build();

    assertThatThrownBy(this::backfill)
        .isInstanceOf(CliException.class)
        .hasMessageStartingWith(
            "bucket photos (BucketName of stack prod) does not exist; check that --stack");
  }

  @Test
  void aResultsTableThatDoesNotExistIsNamed() {
    clients.queryFails = ResourceNotFoundException.builder()
        .message("Requested resource not found")
        .build();

    assertThatThrownBy(this::backfill)
        .hasMessageStartingWith(
            "table offhours-results (ResultsTableName of stack prod) does not exist; check that --stack");
  }

  @Test
  void aQueueThatDoesNotExistIsNamed() {
    clients.sendFails = SqsException.builder()
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
    clients
        .run(
            PROD,
            "photos",
            PROD.name(Name.QUEUE_URL),
            "offhours-results",
            BackfillCheckpoint.of(dir, "stack prod", "photos", ""),
            Optional.empty())
        .through();
  }
}
