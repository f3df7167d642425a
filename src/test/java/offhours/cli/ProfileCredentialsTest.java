package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import offhours.aws.AwsClients;
import offhours.aws.CredentialSources;
import offhours.cli.Target.Name;
import offhours.testing.StubHttpServer;
import offhours.testing.StubHttpServer.Reply;
import offhours.testing.StubHttpServer.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;

/**
 * The command line signs with what the user's profile says, as the AWS CLI does: here a profile that assumes a role
 * (role_arn with source_profile), which the SDK's default chain resolves only with the sts module on the class path.
 * STS and CloudFormation are one loopback stub; the SDK's per-service endpoint settings point both clients at it.
 */
class ProfileCredentialsTest {

  private static final List<String> PROPERTIES = List.of(
      "aws.configFile",
      "aws.sharedCredentialsFile",
      "aws.profile",
      "aws.endpointUrlSts",
      "aws.endpointUrlCloudFormation",
      "aws.disableEc2Metadata");

  private StubHttpServer aws;

  @BeforeEach
  void noInstanceMetadata() {
    // The chain's last provider would ask the EC2 metadata service, which a test machine may not
    // have.
    System.setProperty("aws.disableEc2Metadata", "true");
  }

  @AfterEach
  void restore() {
    PROPERTIES.forEach(System::clearProperty);
    if (aws != null) {
      aws.close();
    }
  }

  @Test
  void aStackIsFoundWithTheCredentialsOfAnAssumedRole(@TempDir Path dir) throws Exception {
    // The chain reads the environment's keys before any profile; with them set, this profile is not
    // what signs.
    assumeTrue(
        System.getenv("AWS_ACCESS_KEY_ID") == null
            && System.getenv("AWS_WEB_IDENTITY_TOKEN_FILE") == null,
        "AWS_ACCESS_KEY_ID or AWS_WEB_IDENTITY_TOKEN_FILE is set: the default chain prefers it to profiles");
    aws = StubHttpServer.start(ProfileCredentialsTest::answer);
    roleProfile(dir, aws.uri().toString(), "role_session_name = offhours-cli");
    System.setProperty("aws.endpointUrlCloudFormation", aws.uri().toString());

    Context context = userContext(dir);
    try (Target target = Targets.deployed(context, "offhours")) {
      assertThat(target.name(Name.BUCKET)).isEqualTo("offhours-images");
      assertThat(target.settings())
          .containsOnly(
              Map.entry("INSTANCE_HOURLY_PRICE_USD", "0.7364"),
              Map.entry("TIME_ZONE", "Asia/Tokyo"));
    }

    Request assumeRole = only(aws.requests(), "AssumeRole");
    assertThat(form(assumeRole))
        .containsEntry("RoleArn", "arn:aws:iam::123456789012:role/offhours-operator")
        .containsEntry("RoleSessionName", "offhours-cli");
    assertThat(assumeRole.header("Authorization")).contains("Credential=AKIDSOURCEKEY/");
    Request describe = only(aws.requests(), "DescribeStacks");
    assertThat(describe.header("Authorization"))
        .contains("Credential=ASIAASSUMEDKEY/")
        .contains("/eu-central-1/cloudformation/aws4_request");
    assertThat(describe.header("X-Amz-Security-Token")).isEqualTo("assumed-session-token");
  }

  /**
   * A role profile whose STS call met no listener (a network down, a proxy gone) has credentials set up: the SDK's
   * chain said it as no credentials ("Unable to load credentials from any of the providers ..."), the command line as
   * 'run aws configure'. The failure is the network's, its cause the refused connection, as a read of the stack's.
   */
  @Test
  void aRoleWhoseStsCallMetNoListenerIsNotSaidAsNoCredentials(@TempDir Path dir) throws Exception {
    assumeTrue(
        System.getenv("AWS_ACCESS_KEY_ID") == null
            && System.getenv("AWS_WEB_IDENTITY_TOKEN_FILE") == null,
        "AWS_ACCESS_KEY_ID or AWS_WEB_IDENTITY_TOKEN_FILE is set: the default chain prefers it to profiles");
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    roleProfile(dir, "http://127.0.0.1:" + closed);

    Throwable failure = catchThrowable(() -> Targets.deployed(userContext(dir), "offhours"));

    assertThat(failure)
        .as("not the command line's 'no AWS credentials'")
        .isNotInstanceOf(CliException.class)
        .isInstanceOf(SdkClientException.class)
        .hasMessageStartingWith("Unable to execute HTTP request")
        .hasRootCauseInstanceOf(ConnectException.class);
    assertThat(CredentialSources.noneIn(failure)).isEmpty();
    assertThat(Main.message("offhours endpoint", (SdkClientException) failure))
        .doesNotContain("no AWS credentials")
        .contains("Connection refused");
  }

  /** A role STS refuses to let the profile's keys assume is no credentials, said with STS's reason. */
  @Test
  void aRoleStsRefusesIsNoCredentials(@TempDir Path dir) throws Exception {
    assumeTrue(
        System.getenv("AWS_ACCESS_KEY_ID") == null
            && System.getenv("AWS_WEB_IDENTITY_TOKEN_FILE") == null,
        "AWS_ACCESS_KEY_ID or AWS_WEB_IDENTITY_TOKEN_FILE is set: the default chain prefers it to profiles");
    aws = StubHttpServer.start(request ->
        new Reply(403, Map.of("Content-Type", "text/xml"), """
        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <Error><Type>Sender</Type><Code>AccessDenied</Code>
            <Message>not authorized to perform sts:AssumeRole</Message></Error>
          <RequestId>denied-1</RequestId>
        </ErrorResponse>
        """.getBytes(StandardCharsets.UTF_8)));
    roleProfile(dir, aws.uri().toString());

    assertThatThrownBy(() -> Targets.deployed(userContext(dir), "offhours"))
        .isInstanceOf(CliException.class)
        .hasMessageStartingWith(
            "no AWS credentials for stack offhours in eu-central-1: profile deployer gives none (")
        .hasMessageContaining("not authorized to perform sts:AssumeRole");
  }

  /** The profile deployer, a role assumed with base's keys, its STS at {@code sts}. */
  private static void roleProfile(Path dir, String sts) throws IOException {
    roleProfile(dir, sts, "");
  }

  /** As {@link #roleProfile(Path, String)}, with {@code line} added to the deployer profile. */
  private static void roleProfile(Path dir, String sts, String line) throws IOException {
    Path config = Files.writeString(dir.resolve("config"), """
        [profile deployer]
        role_arn = arn:aws:iam::123456789012:role/offhours-operator
        source_profile = base
        region = eu-central-1
        %s
        """.formatted(line));
    Path credentials = Files.writeString(dir.resolve("credentials"), """
        [base]
        aws_access_key_id = AKIDSOURCEKEY
        aws_secret_access_key = source-secret
        """);
    System.setProperty("aws.configFile", config.toString());
    System.setProperty("aws.sharedCredentialsFile", credentials.toString());
    System.setProperty("aws.profile", "deployer");
    System.setProperty("aws.endpointUrlSts", sts);
    // Not asked: the credentials fail first.
    System.setProperty("aws.endpointUrlCloudFormation", "http://127.0.0.1:9");
  }

  /** A quiet command line whose clients are the user's, in eu-central-1. */
  private static Context userContext(Path dir) {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    return new Context(
        quiet,
        quiet,
        Map.of(),
        dir,
        false,
        Clock.systemUTC(),
        () -> AwsClients.forUser(Region.EU_CENTRAL_1));
  }

  @Test
  void anIdentityCenterProfileWithoutASessionSaysToSignIn(@TempDir Path dir) throws Exception {
    assumeTrue(
        System.getenv("AWS_ACCESS_KEY_ID") == null
            && System.getenv("AWS_WEB_IDENTITY_TOKEN_FILE") == null,
        "AWS_ACCESS_KEY_ID or AWS_WEB_IDENTITY_TOKEN_FILE is set: the default chain prefers it to profiles");
    // A session name no 'aws sso login' has cached a token for (the cache is ~/.aws/sso/cache, by
    // its hash).
    String session = "offhours-test-" + java.util.UUID.randomUUID();
    Path config = Files.writeString(dir.resolve("config"), """
        [profile dev]
        sso_session = %s
        sso_account_id = 123456789012
        sso_role_name = Operator
        region = eu-central-1

        [sso-session %s]
        sso_start_url = https://example.awsapps.com/start
        sso_region = eu-central-1
        sso_registration_scopes = sso:account:access
        """.formatted(session, session));
    System.setProperty("aws.configFile", config.toString());
    System.setProperty("aws.sharedCredentialsFile", dir.resolve("credentials").toString());
    System.setProperty("aws.profile", "dev");
    Context context = userContext(dir);

    // Without the sso module the SDK stops earlier: "the 'sso' service module must be on the class
    // path".
    assertThatThrownBy(() -> Targets.deployed(context, "offhours"))
        .isInstanceOf(CliException.class)
        .hasMessage(
            "no AWS credentials for stack offhours in eu-central-1: profile dev gives none (Unable to"
                + " load SSO token); run 'aws configure', or 'aws sso login --profile dev' (AWS CLI v2) for an IAM"
                + " Identity Center profile; or set AWS_PROFILE, or AWS_ACCESS_KEY_ID and"
                + " AWS_SECRET_ACCESS_KEY");
  }

  private static Request only(List<Request> requests, String action) {
    List<Request> matching =
        requests.stream().filter(r -> action.equals(form(r).get("Action"))).toList();
    assertThat(matching).as("%s requests among %s", action, requests.size()).hasSize(1);
    return matching.getFirst();
  }

  private static Map<String, String> form(Request request) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String pair : request.text().split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        fields.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return fields;
  }

  private static Reply answer(Request request) {
    String action = form(request).getOrDefault("Action", "");
    return switch (action) {
      case "AssumeRole" ->
        xml("""
          <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
            <AssumeRoleResult>
              <Credentials>
                <AccessKeyId>ASIAASSUMEDKEY</AccessKeyId>
                <SecretAccessKey>assumed-secret</SecretAccessKey>
                <SessionToken>assumed-session-token</SessionToken>
                <Expiration>%s</Expiration>
              </Credentials>
              <AssumedRoleUser>
                <AssumedRoleId>AROAEXAMPLE:offhours-cli</AssumedRoleId>
                <Arn>arn:aws:sts::123456789012:assumed-role/offhours-operator/offhours-cli</Arn>
              </AssumedRoleUser>
            </AssumeRoleResult>
            <ResponseMetadata><RequestId>assume-1</RequestId></ResponseMetadata>
          </AssumeRoleResponse>
          """.formatted(Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)));
      case "DescribeStacks" ->
        xml(DescribeStacksXml.of(
            "offhours",
            "CREATE_COMPLETE",
            Map.of("InstanceHourlyPriceUsd", "0.7364", "TimeZone", "Asia/Tokyo"),
            Map.of("BucketName", "offhours-images", "ResultsTableName", "offhours-results")));
      default -> Reply.empty(400);
    };
  }

  private static Reply xml(String body) {
    return new Reply(
        200, Map.of("Content-Type", "text/xml"), body.getBytes(StandardCharsets.UTF_8));
  }
}
