package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import offhours.cli.Target.Name;
import offhours.local.StateFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;

/** Where a command finds its stack: the local stack's state file, or a deployed stack's region. */
class TargetsTest {

  @TempDir
  Path cache;

  CliRun run(String... args) {
    return CliRun.offline(cache, args);
  }

  @Test
  void withoutALocalStackCommandsSayHowToStartOne() {
    CliRun run = run("queue");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo("offhours: no local stack is running in the cache directory " + cache
            + " (OFFHOURS_CACHE, else XDG_CACHE_HOME/offhours, else ~/.cache/offhours); start one"
            + " with 'scripts/offhours local start' or name a deployed stack with --stack NAME\n");
    CliRun status = run("local", "status");
    assertThat(status.exitCode()).isEqualTo(3);
    assertThat(status.out())
        .isEqualTo("the local stack is not running in the cache directory " + cache
            + " (OFFHOURS_CACHE, else XDG_CACHE_HOME/offhours, else ~/.cache/offhours); start it"
            + " with 'scripts/offhours local start'\n");
  }

  @Test
  void aStateFileOfAnExitedProcessIsNotARunningStack() throws IOException {
    Process exited = new ProcessBuilder("true").start();
    exited.onExit().join();
    TestStateFiles.state(exited.pid(), TestStateFiles.endpoints()).write(StateFile.path(cache));
    CliRun run = run("results");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("the local stack recorded in " + StateFile.path(cache)
            + " is not running (process " + exited.pid() + " has exited)");
  }

  @Test
  void aStateFileWithoutAnEndpointNamesIt() throws IOException {
    Map<String, URI> endpoints = new java.util.HashMap<>(TestStateFiles.endpoints());
    endpoints.remove("sagemaker");
    TestStateFiles.state(ProcessHandle.current().pid(), endpoints).write(StateFile.path(cache));
    assertThat(run("endpoint", "status").err()).contains("has no endpoints.sagemaker");
  }

  @Test
  void aStateFileAddressNoRequestCanBeSentToIsNamedWhereItIsRead() throws IOException {
    // Before, the SDK met each as a request was sent: a NullPointerException without a host, said
    // as a stack that did not answer, and an IllegalArgumentException for the port, an internal
    // error here and the page's own 400 in 'offhours ui'.
    Map<String, String> says = new java.util.LinkedHashMap<>();
    says.put("http:///x", "it names no host");
    says.put("http://127.0.0.1:99999", "its port 99999 is not from 1 to 65535");
    says.put("http://127.0.0.1:0", "its port 0 is not from 1 to 65535");
    says.put("http://my_host:4566", "'my_host:4566' is no host name and port");
    says.put("ftp://127.0.0.1:4566", "it is no http:// or https:// URL");
    says.put("localhost:4566", "it is no http:// or https:// URL");
    for (Map.Entry<String, String> bad : says.entrySet()) {
      Map<String, URI> endpoints = new java.util.HashMap<>(TestStateFiles.endpoints());
      endpoints.put("sqs", URI.create(bad.getKey()));
      TestStateFiles.state(ProcessHandle.current().pid(), endpoints).write(StateFile.path(cache));

      CliRun run = run("queue");

      assertThat(run.exitCode()).as(bad.getKey()).isEqualTo(1);
      assertThat(run.err())
          .as(bad.getKey())
          .isEqualTo("offhours: the local stack's state file " + StateFile.path(cache)
              + " has endpoints.sqs '" + bad.getKey() + "', which no request can be sent to: "
              + bad.getValue() + "; restart the local stack ('scripts/offhours local stop', then"
              + " 'local start'), which writes the addresses it serves on\n");
    }
    assertThat(Targets.unsendable(URI.create("https://127.0.0.1:65535/"))).isEmpty();
  }

  @Test
  void aMissingNameIsReportedWithItsSource() throws IOException {
    Target local = TestTargets.local(Map.of());
    assertThatThrownBy(() -> local.name(Name.QUEUE_URL))
        .hasMessageStartingWith("the local stack's state file f has no names.queueUrl");
    Target deployed = TestTargets.deployed(
        Targets.namesFromOutputs(
            Map.of("BucketName", "b", "ResultsTableName", "r", "Unrelated", "x")),
        Map.of());
    assertThat(deployed.name(Name.BUCKET)).isEqualTo("b");
    assertThatThrownBy(() -> deployed.name(Name.DLQ_URL))
        .hasMessageStartingWith("stack prod has no output DeadLetterQueueUrl");
  }

  @Test
  void aStackWithNoneOfOffhoursOutputsIsNamedAsAnotherStackNotOneToUpdate() {
    assertThat(Target.notOffhours(
            "stack other",
            Targets.namesFromOutputs(
                Map.of("QueueUrl", "x", "BucketName", "b", "DeadLetterQueueUrl", "d")),
            Region.EU_WEST_1))
        .hasValue("stack other has none of offhours' outputs (ResultsTableName, ControlTableName,"
            + " ClassifyMappingId, ControllerFunctionName, ClassifyFunctionName): it is not an offhours"
            + " stack; check the name given to --stack and the Region (eu-west-1)");
    assertThat(Target.notOffhours("stack other", Map.of(), Region.EU_WEST_1)).isPresent();
    // Any one makes it offhours' (every version has all five); one it lacks is missing.
    for (String own : List.of(
        "ResultsTableName",
        "ControlTableName",
        "ClassifyMappingId",
        "ControllerFunctionName",
        "ClassifyFunctionName")) {
      assertThat(Target.notOffhours(
              "stack prod", Targets.namesFromOutputs(Map.of(own, "x")), Region.EU_WEST_1))
          .as(own)
          .isEmpty();
    }
    // An offhours stack of any version has all five: an older one lacks only newer outputs.
    Target older = TestTargets.deployed(
        Targets.namesFromOutputs(Map.of(
            "ResultsTableName", "r",
            "ControlTableName", "c",
            "ControllerFunctionName", "f",
            "ClassifyFunctionName", "g",
            "ClassifyMappingId", "m")),
        Map.of());
    assertThatThrownBy(() -> older.name(Name.HOSTING))
        .hasMessage("stack prod has no output HostingOption; update the stack with this version's"
            + " template.yaml");
  }

  @Test
  void localTargetTakesItsNamesAndRegionFromTheStateFile() throws IOException {
    TestStateFiles.state(ProcessHandle.current().pid(), TestStateFiles.endpoints())
        .write(StateFile.path(cache));
    try (Target target = Targets.local(cache)) {
      assertThat(target.name(Name.CONTROLLER_FUNCTION)).isEqualTo("offhours-controller");
      assertThat(target.name(Name.BUCKET)).isEqualTo("offhours-images");
      assertThat(target.clients().region()).isEqualTo(Region.US_EAST_1);
    }
  }

  @Test
  void theStreamsAndEnvironmentConstructorReadsTheStateFileFromOffhoursCache() throws IOException {
    TestStateFiles.state(ProcessHandle.current().pid(), TestStateFiles.endpoints())
        .write(StateFile.path(cache));
    var out = new java.io.ByteArrayOutputStream();
    var err = new java.io.ByteArrayOutputStream();
    int code = new Main(
            new java.io.PrintStream(out, true),
            new java.io.PrintStream(err, true),
            Map.of("OFFHOURS_CACHE", cache.toString()))
        .run("results");
    assertThat(code).isEqualTo(1);
    assertThat(err.toString())
        .contains("has no names.resultsTable"); // found the file, read its names
  }

  @Test
  void aDeployedStacksRegionIsFoundAsTheAwsCliFindsIt() {
    software.amazon.awssdk.regions.providers.AwsRegionProvider profile = () -> Region.AP_SOUTH_1;
    assertThat(Targets.userRegion(
            Map.of("AWS_REGION", "eu-central-1", "AWS_DEFAULT_REGION", "eu-west-1"), profile))
        .isEqualTo(Region.EU_CENTRAL_1);
    assertThat(Targets.userRegion(Map.of("AWS_DEFAULT_REGION", "eu-west-1"), profile))
        .isEqualTo(Region.EU_WEST_1);
    assertThat(Targets.userRegion(Map.of("AWS_REGION", " "), profile)).isEqualTo(Region.AP_SOUTH_1);
    assertThatThrownBy(() -> Targets.userRegion(Map.of(), () -> {
          throw software.amazon.awssdk.core.exception.SdkClientException.create(
              "Unable to load region");
        }))
        .hasMessage(Targets.NO_REGION);
  }

  @Test
  void aHostWithoutAnAddressSaysWhichAndWhatToCheckInsteadOfTheSdksText() {
    var offline = software.amazon.awssdk.core.exception.SdkClientException.builder()
        .message("Received an UnknownHostException when attempting to interact with a service.")
        .cause(new java.io.UncheckedIOException(
            new java.net.UnknownHostException("cloudformation.eu-west-9.amazonaws.com")))
        .build();

    assertThat(Targets.unreachable("offhours", Region.of("eu-west-9"), offline))
        .contains("cannot reach AWS to look up stack offhours in eu-west-9:"
            + " cloudformation.eu-west-9.amazonaws.com has no address here. Check the network (and"
            + " HTTPS_PROXY, if you need one), and that eu-west-9 is the Region you mean (taken from"
            + " AWS_REGION, AWS_DEFAULT_REGION, else your profile)");
    assertThat(Main.message("offhours quotas", offline))
        .isEqualTo("quotas failed: cannot reach AWS: cloudformation.eu-west-9.amazonaws.com has no"
            + " address here; check the network (and HTTPS_PROXY, if you need one), and that the Region"
            + " in that name is the one you mean");
    assertThat(Targets.unreachable(
            "offhours",
            Region.EU_WEST_1,
            software.amazon.awssdk.core.exception.SdkClientException.create("Unable to execute")))
        .isEmpty();
  }

  @Test
  void aClosedPortSaysConnectionRefusedAndPointsAtTheLocalStack() throws IOException {
    int closed;
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    // Nothing is started on the port: the SDK's own failure, as a command meets it.
    Exception failure;
    try (offhours.aws.AwsClients clients = offhours.aws.AwsClients.local(
            Region.US_EAST_1,
            Map.of(offhours.aws.AwsClients.Service.SQS, URI.create("http://127.0.0.1:" + closed)));
        software.amazon.awssdk.services.sqs.SqsClient sqs = clients.build(
            offhours.aws.AwsClients.Service.SQS,
            software.amazon.awssdk.services.sqs.SqsClient.builder()
                .overrideConfiguration(c -> c.retryStrategy(
                    software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry())))) {
      failure = org.assertj.core.api.Assertions.catchThrowableOfType(
          software.amazon.awssdk.core.exception.SdkClientException.class, sqs::listQueues);
    }

    // The system's words for the refusal are in its language: the test asserts around them.
    assertThat(failure).hasRootCauseInstanceOf(java.net.ConnectException.class);
    assertThat(Main.message("offhours queue", failure))
        .startsWith("queue failed: Unable to execute HTTP request: ")
        .endsWith(" (SDK Attempt Count: 1) (if this is the local stack, check it with"
            + " 'scripts/offhours local status')");
  }

  @Test
  void aTimeoutIsToldByItsTypeAndGetsItsOwnAdviceNotTheRefusals() throws IOException {
    String advice =
        " (nothing answered in time: check the network, and HTTPS_PROXY if you need one; if"
            + " this is the local stack, check that it still answers with 'scripts/offhours local status')";
    var connect = software.amazon.awssdk.core.exception.SdkClientException.create(
        "Unable to execute HTTP request: Connect timed out",
        new java.net.SocketTimeoutException("Connect timed out"));
    assertThat(Main.message("offhours queue", connect))
        .isEqualTo("queue failed: Unable to execute HTTP request: Connect timed out" + advice);
    // A port that takes the connection and never answers: the SDK's own failure of a read.
    Exception silence;
    try (java.net.ServerSocket mute =
            new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        offhours.aws.AwsClients clients = offhours.aws.AwsClients.local(
            Region.US_EAST_1,
            Map.of(
                offhours.aws.AwsClients.Service.SQS,
                URI.create("http://127.0.0.1:" + mute.getLocalPort())));
        software.amazon.awssdk.services.sqs.SqsClient sqs = clients.buildForStreamedReads(
            offhours.aws.AwsClients.Service.SQS,
            software.amazon.awssdk.services.sqs.SqsClient.builder()
                .overrideConfiguration(c -> c.retryStrategy(
                    software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry())),
            java.time.Duration.ofMillis(200))) {
      silence = org.assertj.core.api.Assertions.catchThrowableOfType(
          software.amazon.awssdk.core.exception.SdkClientException.class, sqs::listQueues);
    }
    assertThat(Main.message("offhours queue", silence)).endsWith(advice);
    var cut = software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException.create(2000);
    assertThat(Main.message("offhours queue", cut)).endsWith(advice);
    // The system's own give-up is a ConnectException, in words of its language: the SDK's connect
    // timeout ends the wait long before the system would.
    var words = software.amazon.awssdk.core.exception.SdkClientException.create(
        "Unable to execute HTTP request: Connection timed out");
    assertThat(Main.message("offhours queue", words))
        .isEqualTo("queue failed: Unable to execute HTTP request: Connection timed out");
    assertThat(Targets.refused(connect)).as("a timeout is no refusal").isFalse();
  }

  @Test
  void aRefusedConnectionIsToldByItsTypeNotItsWords() {
    // The system's words for it are in its language; a ConnectException is not.
    var refused = software.amazon.awssdk.core.exception.SdkClientException.create(
        "Unable to execute HTTP request: Verbindungsaufbau abgelehnt",
        new java.net.ConnectException("Verbindungsaufbau abgelehnt"));
    assertThat(Main.message("offhours queue", refused))
        .isEqualTo("queue failed: Unable to execute HTTP request: Verbindungsaufbau abgelehnt (if"
            + " this is the local stack, check it with 'scripts/offhours local status')");
    // The words without the refusal: something said them, nothing refused a connection here.
    var words = software.amazon.awssdk.core.exception.SdkClientException.create(
        "Unable to execute HTTP request: the proxy says Connection refused");
    assertThat(Main.message("offhours queue", words))
        .isEqualTo(
            "queue failed: Unable to execute HTTP request: the proxy says Connection refused");
  }
}
