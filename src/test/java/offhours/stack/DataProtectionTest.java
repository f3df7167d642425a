package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * README's "Security: On AWS", what template.yaml does for the data: encryption at rest of the bucket, every queue and
 * every table (with point-in-time recovery), a policy that refuses plain HTTP on the bucket, every queue and the alarm
 * topic, a bucket nobody can make public, and queue and topic policies that let in only this stack's bucket and this
 * account's CloudWatch. The checks go over every resource of each type, so a queue or table added later is held too.
 */
class DataProtectionTest {

  private final StackResolver stack;

  DataProtectionTest() throws IOException {
    Map<String, String> parameters = new HashMap<>(FakeStack.REQUIRED_PARAMETERS);
    stack = new StackResolver(
        CloudFormationYaml.parse(Files.readString(Path.of("template.yaml"))),
        FakeStack.create(parameters));
  }

  private List<String> ofType(String type) {
    return stack.resources().keySet().stream()
        .filter(r -> stack.type(r).equals(type))
        .toList();
  }

  /** The statements of the policy resource of {@code type} whose {@code target} property names {@code resource}. */
  private List<Map<String, Object>> policyOf(String type, String target, String resource) {
    Object ref = stack.ref(resource);
    List<String> policies = ofType(type).stream()
        .filter(p -> {
          Object named = stack.properties(p).get(target);
          return named instanceof List<?> l ? l.contains(ref) : ref.equals(named);
        })
        .toList();
    assertThat(policies).as("the %s of %s", type, resource).hasSize(1);
    Object statements = StackResolver.map(
            stack.properties(policies.getFirst()).get("PolicyDocument"))
        .get("Statement");
    return StackResolver.list(statements).stream().map(StackResolver::map).toList();
  }

  private static void deniesPlainHttp(
      List<Map<String, Object>> statements, String action, Object resources, String what) {
    assertThat(statements).as("%s refuses every request without TLS", what).anySatisfy(s -> {
      assertThat(s.get("Effect")).isEqualTo("Deny");
      assertThat(s.get("Principal")).isEqualTo("*");
      assertThat(s.get("Action")).isEqualTo(action);
      assertThat(s.get("Resource")).isEqualTo(resources);
      assertThat(s.get("Condition"))
          .isEqualTo(Map.of("Bool", Map.of("aws:SecureTransport", "false")));
    });
  }

  private static List<Map<String, Object>> allows(List<Map<String, Object>> statements) {
    return statements.stream().filter(s -> "Allow".equals(s.get("Effect"))).toList();
  }

  @Test
  void theBucketIsEncryptedAndCannotBeMadePublicNorTakeAcls() {
    assertThat(ofType("AWS::S3::Bucket")).containsExactly("ImagesBucket");
    Map<String, Object> bucket = stack.properties("ImagesBucket");
    assertThat(StackResolver.path(bucket, "BucketEncryption", "ServerSideEncryptionConfiguration"))
        .as("SSE-S3")
        .isEqualTo(
            List.of(Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256"))));
    assertThat(bucket.get("PublicAccessBlockConfiguration"))
        .isEqualTo(Map.of(
            "BlockPublicAcls", true,
            "BlockPublicPolicy", true,
            "IgnorePublicAcls", true,
            "RestrictPublicBuckets", true));
    assertThat(bucket.get("OwnershipControls"))
        .as("ACLs disabled")
        .isEqualTo(Map.of("Rules", List.of(Map.of("ObjectOwnership", "BucketOwnerEnforced"))));
  }

  @Test
  void everyQueueIsEncryptedWithSqsManagedKeys() {
    assertThat(ofType("AWS::SQS::Queue"))
        .containsExactlyInAnyOrder("ImagesQueue", "DeadLetterQueue", "ControllerTimerQueue")
        .allSatisfy(q -> assertThat(stack.properties(q).get("SqsManagedSseEnabled"))
            .as("SSE-SQS on %s", q)
            .isEqualTo(true));
  }

  /** SSEEnabled without a key of its own: DynamoDB's AWS-managed KMS key. */
  @Test
  void everyTableIsEncryptedUnderTheAwsManagedKeyWithPointInTimeRecovery() {
    assertThat(ofType("AWS::DynamoDB::Table"))
        .containsExactlyInAnyOrder("ResultsTable", "ControlTable")
        .allSatisfy(t -> {
          Map<String, Object> props = stack.properties(t);
          assertThat(props.get("SSESpecification")).as(t).isEqualTo(Map.of("SSEEnabled", true));
          assertThat(props.get("PointInTimeRecoverySpecification"))
              .as(t)
              .isEqualTo(Map.of("PointInTimeRecoveryEnabled", true));
        });
  }

  @Test
  void theBucketEveryQueueAndTheTopicRefusePlainHttp() {
    Object bucketArn = stack.getAtt("ImagesBucket", "Arn");
    deniesPlainHttp(
        policyOf("AWS::S3::BucketPolicy", "Bucket", "ImagesBucket"),
        "s3:*",
        List.of(bucketArn, bucketArn + "/*"),
        "the bucket");
    for (String queue : ofType("AWS::SQS::Queue")) {
      deniesPlainHttp(
          policyOf("AWS::SQS::QueuePolicy", "Queues", queue),
          "sqs:*",
          stack.getAtt(queue, "Arn"),
          queue);
    }
    deniesPlainHttp(
        policyOf("AWS::SNS::TopicPolicy", "Topics", "AlarmTopic"),
        "sns:Publish",
        stack.ref("AlarmTopic"),
        "the alarm topic");
  }

  @Test
  void onlyTheStacksBucketOfThisAccountMaySendToAQueue() {
    for (String queue : List.of("DeadLetterQueue", "ControllerTimerQueue")) {
      assertThat(allows(policyOf("AWS::SQS::QueuePolicy", "Queues", queue)))
          .as(queue)
          .isEmpty();
    }
    assertThat(allows(policyOf("AWS::SQS::QueuePolicy", "Queues", "ImagesQueue")))
        .singleElement()
        .satisfies(s -> {
          assertThat(s.get("Principal")).isEqualTo(Map.of("Service", "s3.amazonaws.com"));
          assertThat(s.get("Action")).isEqualTo("sqs:SendMessage");
          assertThat(s.get("Resource")).isEqualTo(stack.getAtt("ImagesQueue", "Arn"));
          assertThat(s.get("Condition"))
              .isEqualTo(Map.of(
                  "ArnEquals",
                  Map.of("aws:SourceArn", stack.getAtt("ImagesBucket", "Arn")),
                  "StringEquals",
                  Map.of("aws:SourceAccount", FakeStack.ACCOUNT)));
        });
  }

  @Test
  void onlyCloudWatchOfThisAccountMayPublishToTheTopic() {
    assertThat(allows(policyOf("AWS::SNS::TopicPolicy", "Topics", "AlarmTopic")))
        .singleElement()
        .satisfies(s -> {
          assertThat(s.get("Principal")).isEqualTo(Map.of("Service", "cloudwatch.amazonaws.com"));
          assertThat(s.get("Action")).isEqualTo("sns:Publish");
          assertThat(s.get("Condition"))
              .isEqualTo(Map.of("StringEquals", Map.of("aws:SourceAccount", FakeStack.ACCOUNT)));
        });
  }
}
