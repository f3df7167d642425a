package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import offhours.cli.Target.Name;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * A bucket, table or queue of the stack that does not exist is said in one way by every command ({@link Target#on}):
 * naming it, the output it came from and what to do, whichever code its service answers it with. moto_server answers
 * AWS.SimpleQueueService.NonExistentQueue, which the SDK maps to no QueueDoesNotExistException, and 'queue' said "Sqs
 * answered AWS.SimpleQueueService.NonExistentQueue" naming no queue; backfill said "S3 answered NoSuchBucket", and
 * results, reprocess and cost each named a missing table in words of their own.
 */
class MissingResourceTest {

  private static final String DLQ = "http://localhost:4566/000000000000/offhours-dlq";

  @Test
  void bothCodesOfSqsNameTheQueueItsOutputAndWhatToDo() {
    for (SqsException missing : new SqsException[] {
      error(SqsException.builder(), "AWS.SimpleQueueService.NonExistentQueue"),
      error(SqsException.builder(), "QueueDoesNotExist"),
      QueueDoesNotExistException.builder().build()
    }) {
      assertThatThrownBy(() -> deployed().on(Name.DLQ_URL, NotFound.QUEUE, () -> {
            throw missing;
          }))
          .as(String.valueOf(missing.awsErrorDetails()))
          .isInstanceOf(CliException.class)
          .hasMessage("queue " + DLQ
              + " (DeadLetterQueueUrl of stack prod) does not exist; check that --stack names"
              + " the stack you mean; a queue deleted outside CloudFormation is not created again by an update that"
              + " changes nothing");
    }
    assertThatThrownBy(() -> TestTargets.local(Map.of(Name.DLQ_URL, DLQ))
            .on(Name.DLQ_URL, NotFound.QUEUE, () -> {
              throw error(SqsException.builder(), "AWS.SimpleQueueService.NonExistentQueue");
            }))
        .hasMessageEndingWith(
            "does not exist; restart the local stack ('scripts/offhours local stop', then"
                + " 'scripts/offhours local start'), which creates its queues again");
  }

  @Test
  void aBucketAndATableAreSaidInTheSameWords() {
    Target prod = TestTargets.deployed(
        Map.of(Name.BUCKET, "photos", Name.CONTROL_TABLE, "offhours-control"), Map.of());
    for (S3Exception missing : new S3Exception[] {
      NoSuchBucketException.builder().build(), error(S3Exception.builder(), "NoSuchBucket")
    }) {
      assertThatThrownBy(() -> prod.on(Name.BUCKET, NotFound.BUCKET, () -> {
            throw missing;
          }))
          .hasMessage(
              "bucket photos (BucketName of stack prod) does not exist; check that --stack names the"
                  + " stack you mean; a bucket deleted outside CloudFormation is not created again by an update that"
                  + " changes nothing");
    }
    assertThatThrownBy(() -> prod.on(Name.CONTROL_TABLE, NotFound.TABLE, () -> {
          throw ResourceNotFoundException.builder()
              .message("Requested resource not found")
              .build();
        }))
        .hasMessage(
            "table offhours-control (ControlTableName of stack prod) does not exist; check that --stack"
                + " names the stack you mean; a table deleted outside CloudFormation is not created again by an"
                + " update that changes nothing");
    assertThatThrownBy(() -> TestTargets.local(Map.of(Name.BUCKET, "photos"))
            .on(Name.BUCKET, NotFound.BUCKET, () -> {
              throw NoSuchBucketException.builder().build();
            }))
        .hasMessage(
            "bucket photos (BucketName of the local stack) does not exist; restart the local stack"
                + " ('scripts/offhours local stop', then 'scripts/offhours local start'), which creates its bucket"
                + " again");
  }

  @Test
  void anotherServicesNotFoundOrAnyOtherErrorIsThrownAsItCame() {
    Target prod = TestTargets.deployed(Map.of(Name.BUCKET, "photos", Name.DLQ_URL, DLQ), Map.of());
    for (AwsServiceException other : new AwsServiceException[] {
      error(SqsException.builder(), "AccessDenied"),
      ResourceNotFoundException.builder().build()
    }) {
      assertThatThrownBy(() -> prod.on(Name.DLQ_URL, NotFound.QUEUE, () -> {
            throw other;
          }))
          .isSameAs(other);
    }
    for (AwsServiceException other : new AwsServiceException[] {
      error(SqsException.builder(), "QueueDoesNotExist"),
      error(DynamoDbException.builder(), "NoSuchBucket")
    }) {
      assertThatThrownBy(() -> prod.on(Name.BUCKET, NotFound.BUCKET, () -> {
            throw other;
          }))
          .isSameAs(other);
    }
    assertThat(prod.on(Name.DLQ_URL, NotFound.QUEUE, () -> "read")).isEqualTo("read");
  }

  /**
   * Lambda's ResourceNotFoundException is a function that does not exist, which
   * 'endpoint start|stop|auto' said in words of its own; DynamoDB's exception of the same name is a table, never a
   * function, and Lambda's never a table.
   */
  @Test
  void aFunctionIsSaidInTheSameWordsAndNotTakenForATable() {
    Target prod = TestTargets.deployed(
        Map.of(
            Name.CONTROLLER_FUNCTION,
            "offhours-controller",
            Name.RESULTS_TABLE,
            "offhours-results"),
        Map.of());
    AwsServiceException lambdaMissing =
        software.amazon.awssdk.services.lambda.model.ResourceNotFoundException.builder()
            .message("Function not found")
            .build();
    assertThatThrownBy(() -> prod.on(Name.CONTROLLER_FUNCTION, NotFound.FUNCTION, () -> {
          throw lambdaMissing;
        }))
        .hasMessage(
            "function offhours-controller (ControllerFunctionName of stack prod) does not exist;"
                + " check that --stack names the stack you mean; a function deleted outside CloudFormation is not"
                + " created again by an update that changes nothing");
    AwsServiceException tableMissing = ResourceNotFoundException.builder().build();
    assertThatThrownBy(() -> prod.on(Name.CONTROLLER_FUNCTION, NotFound.FUNCTION, () -> {
          throw tableMissing;
        }))
        .isSameAs(tableMissing);
    assertThatThrownBy(() -> prod.on(Name.RESULTS_TABLE, NotFound.TABLE, () -> {
          throw lambdaMissing;
        }))
        .isSameAs(lambdaMissing);
  }

  @Test
  void aBucketGivenAsTextIsSaidAsGivenWithWhatToCheck() {
    assertThat(NotFound.BUCKET.given("my-photos", "--bucket"))
        .isEqualTo(
            "bucket my-photos (given to --bucket) does not exist; check that --bucket names the bucket you"
                + " mean");
  }

  private static Target deployed() {
    return TestTargets.deployed(Map.of(Name.DLQ_URL, DLQ), Map.of());
  }

  @SuppressWarnings("unchecked")
  private static <E extends AwsServiceException> E error(
      AwsServiceException.Builder builder, String code) {
    return (E) builder
        .awsErrorDetails(
            AwsErrorDetails.builder().errorCode(code).serviceName("Sqs").build())
        .build();
  }
}
