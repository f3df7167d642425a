package offhours.cli;

// Needs: nothing but a JDK; it runs the CLI as a separate process with an environment of its own
// and no network use (instance metadata is switched off, so the SDK's providers fail locally, as on
// a laptop).

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
 * for the AWS CLI; an IAM Identity Center profile signs in with the token 'aws sso login' cached (SSO and
 * CloudFormation are a loopback stub).
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
                + " 'aws sso login --profile default' (AWS CLI v2) for an IAM Identity Center profile; or set AWS_PROFILE,"
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

  @Test
  void anIamIdentityCenterProfileSignsWithTheRoleCredentialsOfItsSession() throws Exception {
    // What 'aws sso login' leaves behind: the profile, its session, and the session's token in the
    // cache, named by the SHA-1 of the session's name.
    Path aws = Files.createDirectories(home.resolve(".aws/sso/cache"));
    Files.writeString(home.resolve(".aws/config"), """
        [profile dev]
        sso_session = offhours-it
        sso_account_id = 123456789012
        sso_role_name = Operator
        region = eu-central-1

        [sso-session offhours-it]
        sso_start_url = https://example.awsapps.com/start
        sso_region = eu-central-1
        sso_registration_scopes = sso:account:access
        """);
    String cacheName = java.util.HexFormat.of()
        .formatHex(java.security.MessageDigest.getInstance("SHA-1")
            .digest("offhours-it".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    Files.writeString(aws.resolve(cacheName + ".json"), """
        {"startUrl": "https://example.awsapps.com/start", "region": "eu-central-1",
         "accessToken": "sso-access-token", "expiresAt": "2099-01-01T00:00:00Z",
         "clientId": "client", "clientSecret": "secret", "registrationExpiresAt": "2099-01-01T00:00:00Z",
         "refreshToken": "refresh"}
        """);
    try (offhours.testing.StubHttpServer stub = offhours.testing.StubHttpServer.start(
        request -> request.path().equals("/federation/credentials")
            ? offhours.testing.StubHttpServer.Reply.json(
                200,
                "{\"roleCredentials\": {\"accessKeyId\": \"ASIASSOROLE\", \"secretAccessKey\": \"s\","
                    + " \"sessionToken\": \"sso-session-token\", \"expiration\": 4070908800000}}")
            : new offhours.testing.StubHttpServer.Reply(
                400,
                Map.of("Content-Type", "text/xml"),
                ("<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code>"
                        + "<Message>Stack with id offhours does not exist</Message></Error>"
                        + "<RequestId>1</RequestId></ErrorResponse>")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)))) {
      Run run = offhours(
          Map.of(
              "AWS_PROFILE", "dev",
              "AWS_CONFIG_FILE", home.resolve(".aws/config").toString(),
              "AWS_ENDPOINT_URL_SSO", stub.uri().toString(),
              "AWS_ENDPOINT_URL_CLOUDFORMATION", stub.uri().toString()),
          "--stack",
          "offhours",
          "queue");

      assertThat(run.err)
          .as("CloudFormation answered, so the call was signed")
          .startsWith("offhours: stack offhours does not exist in region eu-central-1;");
      var sso = stub.requests().getFirst();
      assertThat(sso.path()).isEqualTo("/federation/credentials");
      assertThat(sso.query()).contains("account_id=123456789012").contains("role_name=Operator");
      assertThat(sso.header("x-amz-sso_bearer_token")).isEqualTo("sso-access-token");
      var describe = stub.requests().getLast();
      assertThat(describe.header("Authorization")).contains("Credential=ASIASSOROLE/");
      assertThat(describe.header("X-Amz-Security-Token")).isEqualTo("sso-session-token");
    }
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
