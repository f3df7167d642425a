package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.testing.StubHttpServer;
import offhours.testing.StubHttpServer.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;

/** Every command the README shows is run by a test ({@link ReadmeCommands#COVERED} says which). */
class ReadmeCommandsTest {

  @TempDir
  Path cache;

  @Test
  void everyReadmeCommandHasAnEntryNamingTheTestThatRunsIt() {
    List<String> commands = ReadmeCommands.extract(ReadmeCommands.readme());
    assertThat(commands)
        .as("commands found in README.md")
        .contains(
            "scripts/demo",
            "scripts/offhours queue",
            "scripts/offhours --stack offhours endpoint start",
            "scripts/demo DIR");
    assertThat(commands)
        .as(
            "README commands without an entry in ReadmeCommands.COVERED (add the test that runs it)")
        .allSatisfy(c -> assertThat(ReadmeCommands.COVERED).containsKey(c));
    assertThat(ReadmeCommands.COVERED.keySet())
        .as("entries for commands the README no longer shows")
        .allSatisfy(c -> assertThat(commands).contains(c));
  }

  @Test
  void extractionFindsCommandsInBlocksAndInlineButNotMentionsOfTheFolder() {
    String markdown = """
        Run `scripts/demo DIR` or `scripts/offhours` (the `scripts/` folder), and `mvn -B package`.
        ```
        scripts/offhours queue          # a comment
        OFFHOURS_X=1 scripts/test -Dx
        pom.xml     build           scripts/       demo, test
        ```
        """;
    assertThat(ReadmeCommands.extract(markdown))
        .containsExactly(
            "scripts/demo DIR",
            "scripts/offhours",
            "scripts/offhours queue",
            "OFFHOURS_X=1 scripts/test -Dx");
  }

  @Test
  void everyNamedTestExistsAndCiRunsTheTestScript() throws Exception {
    for (String test : ReadmeCommands.COVERED.values()) {
      if (test.equals(ReadmeCommands.CI)) {
        assertThat(Files.readAllLines(Path.of(ReadmeCommands.CI))).contains("scripts/test");
        continue;
      }
      String[] parts = test.split("#", 2);
      Class<?> type = Class.forName(parts[0]);
      assertThat(Arrays.stream(type.getDeclaredMethods())
              .filter(m -> m.getName().equals(parts[1]) && m.isAnnotationPresent(Test.class)))
          .as(test)
          .hasSize(1);
    }
  }

  /**
   * A deployed stack cannot be reached here: each README command with --stack is parsed by the real CLI and must ask
   * CloudFormation (here a stand-in on 127.0.0.1 answering as CloudFormation does for a missing stack) for the named
   * stack; ReadmeCommandsIT runs the same commands against the local stack.
   */
  @Test
  void theReadmesDeployedStackCommandsAreAcceptedAndAskForTheNamedStack() throws IOException {
    List<String> deployed = ReadmeCommands.extract(ReadmeCommands.readme()).stream()
        .filter(c -> c.contains(" --stack "))
        // deploy-policy's --stack names the stack the policy is for and reads nothing (its own
        // test).
        .filter(c -> !c.startsWith("scripts/offhours deploy-policy "))
        .toList();
    assertThat(deployed).isNotEmpty();
    StubHttpServer cloudFormation = StubHttpServer.start(request -> {
      boolean json = String.valueOf(request.header("Content-Type")).contains("json");
      byte[] answer = (json
              ? "{\"__type\":\"ValidationError\",\"message\":\"Stack with id offhours does not exist\"}"
              : "<ErrorResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><Error><Type>Sender</Type>"
                  + "<Code>ValidationError</Code><Message>Stack with id offhours does not exist</Message></Error>"
                  + "<RequestId>r</RequestId></ErrorResponse>")
          .getBytes(StandardCharsets.UTF_8);
      return new Reply(
          400,
          Map.of(
              "Content-Type",
              json ? "application/x-amz-json-1.0" : "text/xml",
              "x-amzn-query-error",
              "ValidationError;Sender"),
          answer);
    });
    try {
      URI endpoint = cloudFormation.uri();
      for (String command : deployed) {
        int before = cloudFormation.requests().size();
        String[] args = command.substring("scripts/offhours ".length()).split(" ");
        CliRun run = CliRun.run(
            cache,
            Clock.systemUTC(),
            () -> AwsClients.local(Region.EU_WEST_1, Map.of(Service.CLOUDFORMATION, endpoint)),
            Commands.all(),
            args);
        assertThat(run.err())
            .as(command)
            .isEqualTo(
                "offhours: stack offhours does not exist in region eu-west-1;"
                    + " check the name and the region (AWS_REGION, AWS_DEFAULT_REGION or AWS_PROFILE)\n");
        List<String> asked =
            cloudFormation.requests().subList(before, cloudFormation.requests().size()).stream()
                .map(r -> URLDecoder.decode(r.text(), StandardCharsets.UTF_8))
                .toList();
        assertThat(asked)
            .as(command)
            .singleElement()
            .asString()
            .contains("DescribeStacks")
            .contains("offhours");
      }
    } finally {
      cloudFormation.close();
    }
  }

  @Test
  void theReadmesLabelQueryListsNewestFirst() {
    String readme = ReadmeCommands.readme();
    int query = readme.indexOf("--index-name byLabel");
    assertThat(query).as("the README's byLabel example").isPositive();
    String example = readme.substring(query, readme.indexOf("```", query));
    assertThat(example)
        .as("the byLabel example, newest first as the README says")
        .contains("--no-scan-index-forward");
  }
}
