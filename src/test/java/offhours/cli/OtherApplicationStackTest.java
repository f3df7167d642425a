package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.testing.StubHttpServer;
import offhours.testing.StubHttpServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;

/**
 * {@code --stack NAME} naming another application's stack, one with a bucket and queues but none of offhours' own
 * outputs: the command says so, and sends nothing to that application's resources. Every AWS service is a loopback
 * stub that answers DescribeStacks with that stack and any other request as if it had done it, so that a request the
 * command sent is recorded rather than refused.
 */
class OtherApplicationStackTest {

  private static final String NOT_OFFHOURS =
      "offhours: stack other-app has none of offhours' outputs"
          + " (ResultsTableName, ControlTableName, ClassifyMappingId, ControllerFunctionName,"
          + " ClassifyFunctionName): it is not an offhours stack; check the name given to --stack and"
          + " the Region (eu-central-1)\n";

  @TempDir
  Path cache;

  @TempDir
  Path photos;

  private StubHttpServer aws;

  @AfterEach
  void stop() {
    if (aws != null) {
      aws.close();
    }
  }

  /** What {@code args} say of a stack in {@code status} with {@code outputs}; fails unless only DescribeStacks went. */
  private String on(String status, Map<String, String> outputs, String... args) {
    String body = DescribeStacksXml.of("other-app", status, Map.of(), outputs);
    stop();
    aws = StubHttpServer.start(request -> request.text().contains("Action=DescribeStacks")
        ? new Reply(200, Map.of("Content-Type", "text/xml"), body.getBytes(StandardCharsets.UTF_8))
        : new Reply(200, Map.of("ETag", "\"e\""), new byte[0]));
    Map<Service, URI> endpoints = new EnumMap<>(Service.class);
    for (Service service : Service.values()) {
      endpoints.put(service, aws.uri());
    }
    CliRun run = CliRun.run(
        cache,
        EndpointControlTest.CLOCK,
        () -> AwsClients.local(Region.EU_CENTRAL_1, endpoints),
        Commands.all(),
        args);
    assertThat(run.exitCode()).as(run.err()).isEqualTo(CliException.FAILURE);
    assertThat(aws.requests())
        .as("nothing sent to another application's resources")
        .singleElement()
        .satisfies(r -> assertThat(r.text()).contains("Action=DescribeStacks"));
    return run.err();
  }

  private static final Map<String, String> OTHER_APP = Map.of(
      "BucketName", "other-app-uploads",
      "QueueUrl", "https://sqs.eu-central-1.amazonaws.com/123456789012/other-app-jobs",
      "DeadLetterQueueUrl", "https://sqs.eu-central-1.amazonaws.com/123456789012/other-app-dlq");

  @Test
  void anUploadPutsNothingInAnotherApplicationsBucket() throws IOException {
    Path photo = Files.writeString(photos.resolve("cat.jpg"), "x");
    assertThat(on("CREATE_COMPLETE", OTHER_APP, "upload", "--stack", "other-app", photo.toString()))
        .isEqualTo(NOT_OFFHOURS);
  }

  @Test
  void aRedriveMovesNothingBetweenAnotherApplicationsQueues() {
    assertThat(on("UPDATE_COMPLETE", OTHER_APP, "dlq", "redrive", "--stack", "other-app"))
        .isEqualTo(NOT_OFFHOURS);
  }

  @Test
  void aStackWithoutOutputsMidUpdateIsNoOffhoursStack() {
    // An update keeps the outputs the stack had until it completes (StackStatusTest): a stack with
    // none of offhours' while it is being updated never had them.
    assertThat(on("UPDATE_IN_PROGRESS", Map.of(), "quotas", "--stack", "other-app"))
        .isEqualTo(NOT_OFFHOURS);
  }
}
