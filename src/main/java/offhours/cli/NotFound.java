package offhours.cli;

import java.util.function.Predicate;
import offhours.aws.SqsErrors;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * How a service says that a resource of the stack does not exist, and what offhours calls that resource: the test
 * {@link Target#on} reads a failure with, so that every command says a missing bucket, table, queue or function in the
 * same words.
 */
public enum NotFound {
  /** S3's NoSuchBucket, mapped to its own exception or not (a local S3 may answer the code alone). */
  BUCKET(
      "bucket",
      "bucket",
      e -> e instanceof NoSuchBucketException
          || (e instanceof S3Exception && "NoSuchBucket".equals(code(e)))),
  /** DynamoDB's ResourceNotFoundException, which it answers for a table that does not exist. */
  TABLE("table", "tables", e -> e instanceof ResourceNotFoundException),
  /** Either code SQS answers for a queue that does not exist ({@link SqsErrors#missingQueue}). */
  QUEUE("queue", "queues", e -> e instanceof SqsException sqs && SqsErrors.missingQueue(sqs)),
  /**
   * Lambda's ResourceNotFoundException, which Invoke answers for a function (or its alias) that does not exist: its own
   * class, not DynamoDB's of the same name.
   */
  FUNCTION(
      "function",
      "functions",
      e -> e instanceof software.amazon.awssdk.services.lambda.model.ResourceNotFoundException);

  private final String noun;
  private final String created;
  private final Predicate<AwsServiceException> test;

  NotFound(String noun, String created, Predicate<AwsServiceException> test) {
    this.noun = noun;
    this.created = created;
    this.test = test;
  }

  /** Whether {@code e} says that the resource does not exist. */
  public boolean test(Throwable e) {
    return e instanceof AwsServiceException aws && test.test(aws);
  }

  /**
   * "queue URL (DeadLetterQueueUrl of stack prod) does not exist; check that --stack names the stack you mean; ...":
   * the resource {@code name} names in {@code target}, the output it came from and what to do.
   */
  String message(Target target, Target.Name name) {
    return message(target, name, "");
  }

  /**
   * As {@link #message}, of the resource or a part of it ({@code or}: ", or its alias live,"), when the service's
   * answer does not say which of them does not exist: Lambda's ResourceNotFoundException for an Invoke through an
   * alias is the same for a missing function and for a function without that alias.
   */
  String message(Target target, Target.Name name, String or) {
    return absent(target, name, or) + "; " + remedy(target);
  }

  /**
   * "queue URL (QueueUrl of the local stack) does not exist, nor does queue URL (DeadLetterQueueUrl of the local
   * stack); restart the local stack ...": as {@link #message}, of two resources of {@code target} that are both gone.
   */
  String message(Target target, Target.Name name, Target.Name also) {
    return absent(target, name, "") + ", nor does " + named(target, also, "") + "; "
        + remedy(target);
  }

  /** What to do about a resource of {@code target} that does not exist. */
  private String remedy(Target target) {
    return target.local()
        ? "restart the local stack ('scripts/offhours local stop', then 'scripts/offhours local start'),"
            + " which creates its " + created + " again"
        : "check that --stack names the stack you mean; a " + noun
            + " deleted outside CloudFormation is"
            + " not created again by an update that changes nothing";
  }

  /**
   * "queue URL (QueueUrl of the local stack) does not exist": the resource {@code name} names in {@code target} and the
   * output it came from, without what to do, for a command that goes on without it ({@code local stop}).
   */
  String absent(Target target, Target.Name name) {
    return absent(target, name, "");
  }

  private String absent(Target target, Target.Name name, String or) {
    return named(target, name, or) + " does not exist";
  }

  /** "queue URL (QueueUrl of the local stack)". */
  private String named(Target target, Target.Name name, String or) {
    return noun + " " + Terminal.printable(target.name(name)) + " (" + name.output() + " of "
        + target.description() + ")" + or;
  }

  /**
   * "bucket photos (given to --bucket) does not exist; check that --bucket names the bucket you mean": a resource named
   * on the command line ({@code option}), not by a stack, said as {@link #message} says a stack's.
   */
  String given(String value, String option) {
    return noun + " " + Terminal.printable(value) + " (given to " + option
        + ") does not exist; check that " + option + " names the " + noun + " you mean";
  }

  private static String code(AwsServiceException e) {
    return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
  }
}
