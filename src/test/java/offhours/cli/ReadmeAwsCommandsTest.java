package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every {@code aws} command the README gives has an entry naming the test that runs it. */
class ReadmeAwsCommandsTest {

  @Test
  void everyReadmeAwsCommandHasAnEntryNamingTheTestThatRunsIt() throws Exception {
    List<String> commands = ReadmeAwsCommands.extract(ReadmeCommands.readme());
    assertThat(commands)
        .as("aws commands found in README.md")
        .contains(
            "aws lambda get-function-configuration --function-name NAME --query"
                + " LoggingConfig.LogGroup",
            "aws sqs delete-queue --queue-url QUEUE_URL");
    assertThat(commands)
        .as("README aws commands without an entry in ReadmeAwsCommands.COVERED (add the test that"
            + " runs it)")
        .allSatisfy(c -> assertThat(ReadmeAwsCommands.COVERED).containsKey(c));
    assertThat(ReadmeAwsCommands.COVERED.keySet())
        .as("entries for aws commands the README no longer gives")
        .allSatisfy(c -> assertThat(commands).contains(c));
    for (String test : ReadmeAwsCommands.COVERED.values()) {
      String[] parts = test.split("#", 2);
      assertThat(Arrays.stream(Class.forName(parts[0]).getDeclaredMethods())
              .anyMatch(m -> m.getName().equals(parts[1])))
          .as("test %s exists", test)
          .isTrue();
    }
  }

  @Test
  void extractionFindsCommandsOnTheirLineInSubstitutionsAfterWithAndInline() {
    String markdown = """
        Delete it (`aws sagemaker delete-endpoint`), not `aws:cloudformation:stack-id` nor `awscurl x`.
        ```
        aws --endpoint-url http://127.0.0.1:PORT dynamodb query --table-name t \\
            --expression-attribute-values '{":l":{"S":"a # b"}}' --no-scan-index-forward   # newest first
        API=$(aws cloudformation describe-stacks --query "Stacks[0].Outputs" --output text)
        eval "$(aws configure export-credentials --format env)"
        SIGN=(--aws-sigv4 aws:amz:us-east-1:execute-api --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY")
        curl -sS "${SIGN[@]}" "$API/status"
        'x' is 0: ask in the console or with: aws service-quotas request-service-quota-increase --desired-value 1
        sam delete
        ```
        """;
    assertThat(ReadmeAwsCommands.extract(markdown))
        .containsExactly(
            "aws sagemaker delete-endpoint",
            "aws --endpoint-url http://127.0.0.1:PORT dynamodb query --table-name t"
                + " --expression-attribute-values '{\":l\":{\"S\":\"a # b\"}}' --no-scan-index-forward",
            "aws cloudformation describe-stacks --query \"Stacks[0].Outputs\" --output text",
            "aws configure export-credentials --format env",
            "aws service-quotas request-service-quota-increase --desired-value 1");
  }
}
