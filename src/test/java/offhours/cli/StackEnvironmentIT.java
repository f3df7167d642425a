package offhours.cli;

// Needs: nothing but a JDK; it runs the CLI as a separate process with an environment of its own
// and no network
// use (instance metadata is switched off, so the SDK's providers fail locally, as on a laptop).

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new user with the AWS CLI's habits sees from {@code --stack}: without a region or credentials, one line
 * with the cause and the fix, never the SDK's chain of provider errors; {@code AWS_DEFAULT_REGION} counts as it does
 * for the AWS CLI.
 */
class StackEnvironmentIT {

  @TempDir
  Path home;

  @Test
  void withoutARegionOneLineSaysHowToSetOne() throws Exception {
    Run run = offhours(Map.of(), "--stack", "offhours", "endpoint", "start");
    assertThat(run.code).isEqualTo(1);
    assertThat(run.err).isEqualTo("offhours: " + Targets.NO_REGION + "\n");
  }

  @Test
  void awsDefaultRegionIsHonouredAndMissingCredentialsAreOneLineWithTheFix() throws Exception {
    Run run = offhours(Map.of("AWS_DEFAULT_REGION", "eu-west-1"), "--stack", "offhours", "results");
    assertThat(run.code).isEqualTo(1);
    assertThat(run.err)
        .isEqualTo(
            "offhours: no AWS credentials for stack offhours in eu-west-1: run 'aws configure', or"
                + " 'aws sso login --profile default' for an IAM Identity Center profile; or set AWS_PROFILE,"
                + " or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n");
  }

  @Test
  void awsRegionWinsAndAProfilesRegionIsReadWhenNeitherIsSet() throws Exception {
    assertThat(offhours(
                Map.of("AWS_REGION", "eu-central-1", "AWS_DEFAULT_REGION", "eu-west-1"),
                "queue",
                "--stack",
                "x")
            .err)
        .contains("for stack x in eu-central-1:");
    Files.writeString(home.resolve("config"), "[default]\nregion = ap-south-1\n");
    assertThat(offhours(
                Map.of("AWS_CONFIG_FILE", home.resolve("config").toString()),
                "queue",
                "--stack",
                "x")
            .err)
        .contains("for stack x in ap-south-1:");
  }

  private record Run(int code, String out, String err) {}

  /** The CLI in a fresh JVM with only PATH, an empty HOME and {@code env}. */
  private Run offhours(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "-XX:TieredStopAtLevel=1",
        "-XX:-UsePerfData",
        "-cp",
        System.getProperty("java.class.path"),
        Main.class.getName()));
    command.addAll(List.of(args));
    Path out = home.resolve("out.txt");
    Path err = home.resolve("err.txt");
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    Map<String, String> environment = pb.environment();
    environment.clear();
    environment.putAll(new HashMap<>(Map.of(
        "PATH",
        System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
        "HOME",
        home.toString(),
        "AWS_EC2_METADATA_DISABLED",
        "true",
        "AWS_CONFIG_FILE",
        home.resolve("no-config").toString(),
        "AWS_SHARED_CREDENTIALS_FILE",
        home.resolve("no-credentials").toString())));
    environment.putAll(env);
    Process process = pb.start();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(
          "offhours " + String.join(" ", args) + " did not finish in 2 minutes");
    }
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }
}
