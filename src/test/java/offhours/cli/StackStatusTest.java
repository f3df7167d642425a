package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
 * {@code --stack NAME} on a stack that CloudFormation has not finished creating, failed to create, or is deleting:
 * the command says the stack's state and what to do, not that an output is missing. CloudFormation is a loopback stub
 * that answers DescribeStacks as CloudFormation does, with the status under test; the outputs are those a stack in
 * that state has (none before CREATE_COMPLETE, all while it is being deleted).
 */
class StackStatusTest {

  @TempDir
  Path cache;

  private StubHttpServer aws;

  @AfterEach
  void stop() {
    if (aws != null) {
      aws.close();
    }
  }

  /** What {@code offhours results --stack offhours} says of a stack in {@code status}; fails unless it fails. */
  private String resultsOn(String status, boolean withOutputs) {
    return resultsOn(status, withOutputs ? "ResultsTableName" : null);
  }

  /** As {@link #resultsOn(String, boolean)}, of a stack whose one output is {@code output} (none if null). */
  private String resultsOn(String status, String output) {
    String body = DescribeStacksXml.of(
        "offhours", status, Map.of(), output == null ? Map.of() : Map.of(output, "offhours-x"));
    stop();
    aws = StubHttpServer.start(request -> request.text().contains("Action=DescribeStacks")
        ? new Reply(200, Map.of("Content-Type", "text/xml"), body.getBytes(StandardCharsets.UTF_8))
        : new Reply(500, Map.of(), new byte[0]));
    CliRun run = CliRun.run(
        cache,
        EndpointControlTest.CLOCK,
        () -> AwsClients.local(
            Region.EU_CENTRAL_1,
            Map.of(Service.CLOUDFORMATION, aws.uri(), Service.DYNAMODB, aws.uri())),
        Commands.all(),
        "results",
        "--stack",
        "offhours");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(CliException.FAILURE);
    assertThat(aws.requests())
        .as("nothing asked of a stack that cannot answer")
        .singleElement()
        .satisfies(r -> assertThat(r.text()).contains("Action=DescribeStacks"));
    return run.err();
  }

  @Test
  void aStackStillBeingCreatedSaysToWaitForCreateComplete() {
    assertThat(resultsOn("CREATE_IN_PROGRESS", false))
        .isEqualTo("offhours: stack offhours is still being created (CREATE_IN_PROGRESS);"
            + " wait until it is CREATE_COMPLETE ('aws cloudformation wait stack-create-complete"
            + " --stack-name offhours'), then run this again\n");
  }

  @Test
  void aChangeSetNeverExecutedHasNoResourcesYet() {
    assertThat(resultsOn("REVIEW_IN_PROGRESS", false))
        .isEqualTo("offhours: stack offhours has a change set that was never executed"
            + " (REVIEW_IN_PROGRESS), so none of its resources exist yet; execute it ('sam deploy'"
            + " without --no-execute-changeset, or 'aws cloudformation execute-change-set') and"
            + " wait until it is CREATE_COMPLETE\n");
  }

  @Test
  void aStackWhoseCreationFailedMustBeDeletedAndDeployedAgain() {
    String advice =
        "; CloudFormation can only delete it: see why in its events ('aws cloudformation"
            + " describe-stack-events --stack-name offhours'), delete it ('sam delete --stack-name"
            + " offhours') and deploy it again\n";
    assertThat(resultsOn("ROLLBACK_COMPLETE", false))
        .isEqualTo("offhours: stack offhours failed to be created and was rolled back"
            + " (ROLLBACK_COMPLETE)" + advice);
    assertThat(resultsOn("ROLLBACK_FAILED", false))
        .isEqualTo("offhours: stack offhours failed to be created and was rolled back"
            + " (ROLLBACK_FAILED)" + advice);
    assertThat(resultsOn("CREATE_FAILED", false))
        .isEqualTo("offhours: stack offhours failed to be created (CREATE_FAILED)" + advice);
    assertThat(resultsOn("ROLLBACK_IN_PROGRESS", false))
        .isEqualTo("offhours: stack offhours failed to be created and is being rolled back"
            + " (ROLLBACK_IN_PROGRESS); when it is ROLLBACK_COMPLETE, CloudFormation can only delete"
            + " it: see why in its events ('aws cloudformation describe-stack-events --stack-name"
            + " offhours'), delete it ('sam delete --stack-name offhours') and deploy it again\n");
  }

  @Test
  void aStackBeingDeletedIsNotUsedEvenWithItsOutputs() {
    assertThat(resultsOn("DELETE_IN_PROGRESS", true))
        .isEqualTo("offhours: stack offhours is being deleted (DELETE_IN_PROGRESS); deploy it"
            + " again once it is gone, or name another stack\n");
    assertThat(resultsOn("DELETE_FAILED", true))
        .isEqualTo("offhours: stack offhours failed to be deleted (DELETE_FAILED) and some of its"
            + " resources may remain; CloudFormation can only delete it: see why in its events"
            + " ('aws cloudformation describe-stack-events --stack-name offhours'), then delete it"
            + " again\n");
  }

  @Test
  void aStackBeingUpdatedIsUsedAsItIs() {
    // During an update and after a failed one the stack keeps its resources and outputs: here those
    // of an offhours stack without the output the command needs, which the command reads past its
    // status to find missing.
    for (String status : new String[] {
      "UPDATE_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"
    }) {
      String err = resultsOn(status, "ControlTableName");
      assertThat(err)
          .as(status)
          .isEqualTo(
              "offhours: stack offhours has no output ResultsTableName; update the stack with"
                  + " this version's template.yaml\n");
    }
  }
}
