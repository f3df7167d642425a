package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import offhours.stack.AwsCallRecorder.Call;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.sqs.model.PurgeQueueRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/** The permission test's own machinery, on a small template: it must see a missing grant and a surplus one. */
class PermissionAuditTest {

  private static final String TEMPLATE = """
      Parameters:
        Suffix: {Type: String, Default: abc}
      Resources:
        Queue: {Type: AWS::SQS::Queue}
        Table: {Type: AWS::DynamoDB::Table}
        Logs: {Type: AWS::Logs::LogGroup}
        Role:
          Type: AWS::IAM::Role
          Properties:
            Policies:
              - PolicyName: p
                PolicyDocument:
                  Statement:
                    - {Sid: Logs, Effect: Allow, Action: [logs:CreateLogStream, logs:PutLogEvents], Resource: !GetAtt Logs.Arn}
                    - {Sid: Poll, Effect: Allow, Action: [sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueAttributes],
                       Resource: !GetAtt Queue.Arn}
                    - {Sid: Write, Effect: Allow, Action: [dynamodb:PutItem, dynamodb:Scan], Resource: !GetAtt Table.Arn}
                    - {Sid: Read, Effect: Allow, Action: s3:GetObject, Resource: !Sub "arn:${AWS::Partition}:s3:::b-${Suffix}/*"}
        Fn:
          Type: AWS::Serverless::Function
          Properties:
            Role: !GetAtt Role.Arn
            LoggingConfig: {LogGroup: !Ref Logs}
            Events:
              Q: {Type: SQS, Properties: {Queue: !GetAtt Queue.Arn}}
      """;

  private final StackResolver stack =
      new StackResolver(CloudFormationYaml.parse(TEMPLATE), FakeStack.create(Map.of()));
  private final String table = String.valueOf(stack.ref("Table"));

  private Call call(
      String service,
      String operation,
      software.amazon.awssdk.core.SdkRequest request,
      int status) {
    return new Call(
        service, operation, request, Region.US_EAST_1, status, status == 200 ? null : "Error");
  }

  @Test
  void aCallTheRoleDoesNotGrantAndAGrantNoCallUsesAreBothReported() {
    PermissionAudit audit = new PermissionAudit("Fn");
    audit.add(
        stack,
        "one",
        List.of(
            call(
                "DynamoDb", "PutItem", PutItemRequest.builder().tableName(table).build(), 200),
            call(
                "S3",
                "GetObject",
                GetObjectRequest.builder().bucket("b-abc").key("k").build(),
                200),
            call(
                "Sqs",
                "SendMessage",
                SendMessageRequest.builder()
                    .queueUrl(
                        "http://127.0.0.1:5000/123456789012/" + stack.stack().physicalId("Queue"))
                    .build(),
                200)));

    assertThat(audit.missing())
        .singleElement()
        .asString()
        .startsWith("Role lacks sqs:SendMessage on arn:aws:sqs:" + "us-east-1:123456789012:"
            + stack.stack().physicalId("Queue") + " (Sqs.SendMessage) in scenario 'one'");
    assertThat(audit.surplus())
        .singleElement()
        .asString()
        .startsWith("Role grants dynamodb:Scan on ")
        .endsWith("(statement Write), which no scenario used");
  }

  @Test
  void aMissingKeyAnsweredWith404NeedsListBucketOnTheBucket() {
    PermissionAudit audit = new PermissionAudit("Fn");
    audit.add(
        stack,
        "gone",
        List.of(call(
            "S3",
            "GetObject",
            GetObjectRequest.builder().bucket("b-abc").key("k").build(),
            404)));

    assertThat(audit.missing())
        .singleElement()
        .asString()
        .startsWith("Role lacks s3:ListBucket on arn:aws:s3:::b-abc");
  }

  @Test
  void aGrantUsedInAnyScenarioIsNotSurplusEvenWhenOtherScenariosUseOtherNames() {
    PermissionAudit audit = new PermissionAudit("Fn");
    audit.add(
        stack,
        "one",
        List.of(call(
            "DynamoDb",
            "Scan",
            software.amazon.awssdk.services.dynamodb.model.ScanRequest.builder()
                .tableName(table)
                .build(),
            200)));
    StackResolver other =
        new StackResolver(CloudFormationYaml.parse(TEMPLATE), FakeStack.create(Map.of()));
    audit.add(
        other,
        "two",
        List.of(
            call(
                "DynamoDb",
                "PutItem",
                PutItemRequest.builder()
                    .tableName(String.valueOf(other.ref("Table")))
                    .build(),
                200),
            call(
                "S3",
                "GetObject",
                GetObjectRequest.builder().bucket("b-abc").key("k").build(),
                200)));

    assertThat(audit.missing()).isEmpty();
    assertThat(audit.surplus()).isEmpty();
  }

  /** A role that may decrypt with this account's keys, only through S3 in the stack's region. */
  private static final String KMS_TEMPLATE = """
      Parameters: {}
      Resources:
        Logs: {Type: AWS::Logs::LogGroup}
        Role:
          Type: AWS::IAM::Role
          Properties:
            Policies:
              - PolicyName: p
                PolicyDocument:
                  Statement:
                    - {Sid: Logs, Effect: Allow, Action: [logs:CreateLogStream, logs:PutLogEvents], Resource: !GetAtt Logs.Arn}
                    - {Sid: Read, Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::b/*"}
                    - Sid: Decrypt
                      Effect: Allow
                      Action: kms:Decrypt
                      Resource: !Sub arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/*
                      Condition:
                        StringEquals:
                          kms:ViaService: !Sub s3.${AWS::Region}.amazonaws.com
        Fn:
          Type: AWS::Serverless::Function
          Properties:
            Role: !GetAtt Role.Arn
            LoggingConfig: {LogGroup: !Ref Logs}
      """;

  private static Call sseKmsRead(Region region, String keyId) {
    return new Call(
        "S3",
        "GetObject",
        GetObjectRequest.builder().bucket("b").key("k").build(),
        region,
        200,
        null,
        keyId);
  }

  @Test
  void readingAnSseKmsObjectNeedsKmsDecryptThroughS3InTheCallsRegion() {
    StackResolver kms =
        new StackResolver(CloudFormationYaml.parse(KMS_TEMPLATE), FakeStack.create(Map.of()));
    PermissionAudit granted = new PermissionAudit("Fn");
    granted.add(
        kms,
        "own key",
        List.of(sseKmsRead(Region.US_EAST_1, "arn:aws:kms:us-east-1:123456789012:key/1234abcd")));
    assertThat(granted.missing()).isEmpty();
    assertThat(granted.surplus()).isEmpty();

    PermissionAudit elsewhere = new PermissionAudit("Fn");
    elsewhere.add(
        kms,
        "other region",
        List.of(sseKmsRead(Region.EU_WEST_1, "arn:aws:kms:us-east-1:123456789012:key/1234abcd")));
    assertThat(elsewhere.missing())
        .as("the condition tests kms:ViaService, which names the region S3 was called in")
        .singleElement()
        .asString()
        .startsWith("Role lacks kms:Decrypt on arn:aws:kms:us-east-1:123456789012:key/1234abcd"
            + " with {kms:viaservice=s3.eu-west-1.amazonaws.com}");

    PermissionAudit otherAccount = new PermissionAudit("Fn");
    otherAccount.add(
        kms,
        "their key",
        List.of(sseKmsRead(Region.US_EAST_1, "arn:aws:kms:us-east-1:210987654321:key/1")));
    assertThat(otherAccount.missing())
        .singleElement()
        .asString()
        .startsWith("Role lacks kms:Decrypt on arn:aws:kms:us-east-1:210987654321:key/1");
  }

  @Test
  void aConditionOtherThanStringEqualsFailsLoudly() {
    String template = KMS_TEMPLATE.replace("StringEquals:", "StringLike:");
    StackResolver kms =
        new StackResolver(CloudFormationYaml.parse(template), FakeStack.create(Map.of()));
    assertThatThrownBy(() -> IamRole.of(kms, "Role"))
        .hasMessage("Role statement Decrypt has the condition operators [StringLike]; the"
            + " permission test evaluates StringEquals only");
  }

  @Test
  void anOperationWithoutAnIamMappingFailsLoudly() {
    PermissionAudit audit = new PermissionAudit("Fn");
    assertThatThrownBy(() -> audit.add(
            stack,
            "purge",
            List.of(call(
                "Sqs",
                "PurgeQueue",
                PurgeQueueRequest.builder().queueUrl("http://h/123456789012/q").build(),
                200))))
        .hasMessageStartingWith("the permission test has no IAM mapping for Sqs.PurgeQueue");
  }

  @Test
  void lambdaUsesTheRoleForTheFunctionsLogsAndItsSqsEventSource() {
    assertThat(PermissionAudit.platform(stack, "Fn"))
        .extracting(IamRole.Permission::action)
        .containsExactly(
            "logs:CreateLogStream",
            "logs:PutLogEvents",
            "sqs:ReceiveMessage",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes");
  }

  @Test
  void iamWildcardsMatchLikeIam() {
    assertThat(IamRole.glob("arn:aws:s3:::b/*", false)
            .matcher("arn:aws:s3:::b/photos/a.png")
            .matches())
        .isTrue();
    assertThat(IamRole.glob("arn:aws:s3:::b/*", false).matcher("arn:aws:s3:::b").matches())
        .isFalse();
    assertThat(IamRole.glob("arn:aws:s3:::b?", false).matcher("arn:aws:s3:::bc").matches())
        .isTrue();
    assertThat(IamRole.glob("SQS:SendMessage", true).matcher("sqs:sendmessage").matches())
        .isTrue();
    assertThat(
            IamRole.glob("arn:aws:s3:::B/*", false).matcher("arn:aws:s3:::b/k").matches())
        .isFalse();
  }
}
