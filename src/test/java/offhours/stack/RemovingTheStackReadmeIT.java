package offhours.stack;

// Needs: moto_server (AwsServicesExtension) and the AWS CLI (`aws` on the PATH or in
// ~/.pyenv/shims).

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import offhours.aws.AwsClients.Service;
import offhours.testing.AwsServicesExtension;
import offhours.testing.AwsServicesExtension.AwsServices;
import offhours.testing.MarkdownSections;
import offhours.testing.ShellWords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The README's "Removing the stack" commands, run as written with the AWS CLI against moto_server (each gets
 * {@code --endpoint-url}; the placeholders become the names of resources made like the ones {@code sam delete} keeps),
 * leave none of those resources behind. {@code sam delete} itself needs AWS and is not run.
 */
@ExtendWith(AwsServicesExtension.class)
class RemovingTheStackReadmeIT {

  private final S3Client s3;
  private final SqsClient sqs;
  private final DynamoDbClient dynamo;
  private final CloudFormationClient cloudFormation;
  private final AwsServices services;

  RemovingTheStackReadmeIT(AwsServices services) {
    this.services = services;
    this.s3 = services.clients().build(Service.S3, S3Client.builder().forcePathStyle(true));
    this.sqs = services.clients().build(Service.SQS, SqsClient.builder());
    this.dynamo = services.clients().build(Service.DYNAMODB, DynamoDbClient.builder());
    this.cloudFormation = services
        .clients()
        .build(
            Service.CLOUDFORMATION,
            CloudFormationClient.builder().endpointOverride(services.endpoint()));
  }

  /** The lines of the first code block after the README's "### Removing the stack". */
  static List<String> readmeCommands() {
    String section = MarkdownSections.readme("### Removing the stack");
    int block = section.indexOf("\n```\n");
    assertThat(block).as("a code block in README's 'Removing the stack'").isPositive();
    int open = block + 5;
    return section
        .substring(open, section.indexOf("\n```", open))
        .lines()
        .filter(l -> !l.isBlank())
        .toList();
  }

  @Test
  void theCommandsDeleteWhatSamDeleteKeeps(@TempDir Path home) throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String stack = "offhours-readme-" + suffix;
    String dlqUrl =
        sqs.createQueue(r -> r.queueName("offhours-readme-dlq-" + suffix)).queueUrl();
    String queueUrl =
        sqs.createQueue(r -> r.queueName("offhours-readme-queue-" + suffix)).queueUrl();
    sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("{\"Records\":[]}"));
    String bucket = "offhours-readme-" + suffix;
    s3.createBucket(r -> r.bucket(bucket));
    s3.putObject(
        r -> r.bucket(bucket).key("photos/cat.png"), RequestBody.fromString("not really a png"));
    String table = "offhours-readme-results-" + suffix;
    dynamo.createTable(StackSpec.RESULTS_TABLE.createTableRequest(table));
    cloudFormation.createStack(
        r -> r.stackName(stack).templateBody("""
        Resources:
          Placeholder: {Type: AWS::SQS::Queue}
        Outputs:
          BucketName: {Value: %s}
          QueueUrl: {Value: %s}
          DeadLetterQueueUrl: {Value: %s}
          ResultsTableName: {Value: %s}
        """.formatted(bucket, queueUrl, dlqUrl, table)));

    // In this order: QUEUE_URL is also the end of DEAD_LETTER_QUEUE_URL (Map.of's order changes
    // from run to run).
    Map<String, String> placeholders = new LinkedHashMap<>();
    placeholders.put("DEAD_LETTER_QUEUE_URL", dlqUrl);
    placeholders.put("QUEUE_URL", queueUrl);
    placeholders.put("s3://BUCKET", "s3://" + bucket);
    placeholders.put("RESULTS_TABLE", table);
    placeholders.put("--stack-name offhours ", "--stack-name " + stack + " ");
    List<String> ran = new ArrayList<>();
    for (String line : readmeCommands()) {
      if (line.startsWith("sam ")) {
        continue; // needs AWS
      }
      String command = line;
      for (var p : placeholders.entrySet()) {
        command = command.replace(p.getKey(), p.getValue());
      }
      List<String> words = new ArrayList<>(ShellWords.split(command));
      assertThat(words.getFirst()).as("README command %s", line).isEqualTo("aws");
      words.set(0, awsCli().toString());
      words.addAll(1, List.of("--endpoint-url", services.endpoint().toString()));
      ProcessBuilder builder = new ProcessBuilder(words)
          .redirectErrorStream(true)
          .redirectOutput(home.resolve("aws.log").toFile())
          .directory(home.toFile());
      // Dummy credentials and a region; nothing of the user's own AWS configuration is read.
      builder
          .environment()
          .putAll(Map.of(
              "AWS_ACCESS_KEY_ID",
              "offhours",
              "AWS_SECRET_ACCESS_KEY",
              "offhours",
              "AWS_DEFAULT_REGION",
              "us-east-1",
              "AWS_CONFIG_FILE",
              home.resolve("config").toString(),
              "AWS_SHARED_CREDENTIALS_FILE",
              home.resolve("credentials").toString(),
              "AWS_PAGER",
              ""));
      builder.environment().remove("AWS_PROFILE");
      Process process = builder.start();
      process.getOutputStream().close();
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished", line).isTrue();
      assertThat(process.exitValue())
          .as("%s:\n%s", line, Files.readString(home.resolve("aws.log")))
          .isZero();
      if (line.contains("describe-stacks")) {
        assertThat(Files.readString(home.resolve("aws.log")))
            .as("the outputs to note before the delete")
            .contains(bucket, queueUrl, dlqUrl, table);
      }
      if (line.contains("get-queue-attributes --queue-url QUEUE_URL ")) {
        assertThat(Files.readString(home.resolve("aws.log")))
            .as(
                "the counts README says to read before deleting the queue: waiting, in flight or paused, delayed")
            .contains(
                "ApproximateNumberOfMessages",
                "ApproximateNumberOfMessagesNotVisible",
                "ApproximateNumberOfMessagesDelayed");
      }
      ran.add(line);
    }

    assertThat(ran).as("README commands run").hasSizeGreaterThanOrEqualTo(7);
    assertThat(sqs.listQueues(r -> r.queueNamePrefix("offhours-readme-")).queueUrls())
        .doesNotContain(queueUrl, dlqUrl);
    assertThat(s3.listBuckets().buckets()).noneMatch(b -> b.name().equals(bucket));
    assertThat(dynamo.listTables().tableNames()).doesNotContain(table);
    cloudFormation.deleteStack(r -> r.stackName(stack));
  }

  private static Path awsCli() {
    List<Path> candidates = new ArrayList<>();
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      candidates.add(Path.of(dir, "aws"));
    }
    candidates.add(Path.of(System.getProperty("user.home"), ".pyenv", "shims", "aws"));
    return candidates.stream()
        .filter(Files::isExecutable)
        .findFirst()
        .orElseThrow(() -> new AssertionError(
            "the AWS CLI (aws) is needed: apt-get install awscli or pip install awscli"));
  }
}
