package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import offhours.aws.AwsClients.Service;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Needs moto_server (started by {@link OnMotoStack}'s extension) for SQS, SageMaker, CloudFormation, IAM, Lambda. An
 * InService endpoint, an Enabled trigger and a delayed upload, as Classify leaves them when every invocation fails:
 * {@code queue} and {@code endpoint status} say uploads are handed back while the endpoint serves, read over the
 * wire. The trigger is a mapping of a function of its own on a queue of its own, so moto never invokes anything: the
 * commands read only its state.
 */
class HandBacksIT extends OnMotoStack {

  @Test
  void queueAndEndpointStatusSayUploadsAreHandedBackWhileTheEndpointServes() throws IOException {
    String uuid;
    try (CloudFormationClient cloudFormation =
            moto.clients.build(Service.CLOUDFORMATION, CloudFormationClient.builder());
        LambdaClient lambda = moto.clients.build(Service.LAMBDA, LambdaClient.builder())) {
      assertThat(liveEndpoint()).as("moto's endpoint is InService at once").isEqualTo("InService");
      String function = "cli-it-classify-" + moto.suffix;
      String template = """
          {"Resources": {
            "Role": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "cli-it-role-%1$s",
              "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}},
            "Fed": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "cli-it-fed-%1$s"}},
            "Classify": {"Type": "AWS::Lambda::Function", "Properties": {"FunctionName": "%2$s",
              "Runtime": "python3.12", "Handler": "index.handler", "Role": {"Fn::GetAtt": ["Role", "Arn"]},
              "Code": {"ZipFile": "def handler(event, context):\\n    return {}\\n"}}},
            "Trigger": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {
              "FunctionName": {"Ref": "Classify"}, "EventSourceArn": {"Fn::GetAtt": ["Fed", "Arn"]},
              "Enabled": true}}}}
          """.formatted(moto.suffix, function);
      cloudFormation.createStack(
          r -> r.stackName("cli-it-trigger-" + moto.suffix).templateBody(template));
      uuid = lambda
          .listEventSourceMappings(r -> r.functionName(function))
          .eventSourceMappings()
          .getFirst()
          .uuid();
      withNames(Map.of("mappingUuid", uuid));
    }
    moto.sqs.sendMessage(
        r -> r.queueUrl(moto.queueUrl).messageBody("handed back").delaySeconds(600));

    CliRun queue = run("queue");
    assertThat(queue.exitCode()).as(queue.err()).isZero();
    assertThat(queue.outLines().get(1))
        .startsWith("handed back while the endpoint serves: 1 upload delayed with the endpoint"
            + " InService and the Classify trigger Enabled: invocations are probably failing")
        .contains("Why: the Classify function's log, local/logs/stack.log");
    JsonNode queueJson = Json.MAPPER.readTree(run("queue", "--json").out());
    assertThat(queueJson.get("handedBack").get("delayed").asLong()).isEqualTo(1);
    assertThat(queueJson.get("handedBack").get("says").asText())
        .isEqualTo(queue.outLines().get(1));

    CliRun status = run("endpoint", "status");
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.outLines())
        .containsSubsequence(
            "classify mapping " + uuid + ": Enabled (uploads are being classified)",
            queue.outLines().get(1));
    JsonNode statusJson =
        Json.MAPPER.readTree(run("endpoint", "status", "--json").out());
    assertThat(statusJson.get("handedBack").get("inferred").asBoolean()).isTrue();
  }
}
