// Needs moto_server, the AWS CLI v1 or v2 (`aws` on the PATH or in ~/.pyenv/shims), Maven
// (scripts/offhours builds the project if needed), and node/npm for the first conversion of the
// default model into the user's cache, which this test's own cache links to (TestCaches).
package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import offhours.cli.ReadmeAwsCommands;
import offhours.testing.ShellWords;
import offhours.testing.TestCaches;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new user does after {@code scripts/offhours local start}: copies a photo with the real AWS CLI to the
 * endpoint URL the state file names, and queries the result by key and by label with {@code aws dynamodb query}.
 */
class LocalStartAwsCliIT {

  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  @TempDir
  Path cache;

  @TempDir
  Path work;

  private Map<String, String> credentials = Map.of();

  @Test
  void theAwsCliUploadsAndQueriesAgainstTheLocalStackAndLocalStopLeavesNoProcess()
      throws Exception {
    Path aws = awsCli();
    // The model conversion is shared with the other tests; the state file and logs are this test's
    // own.
    TestCaches.sharingTheDefaultModel(cache);

    // Started with a zone that is rarely this machine's: the state file records the zone its
    // controller keeps the ledger's days in, for commands that run in another. Given by
    // --time-zone, which the background 'local run' is passed, under a TZ the JDK would misread
    // (it refuses it where no flag says the zone).
    Run start = offhours(
        Map.of("TZ", "Europe/Pariss"), "local", "start", "--time-zone", "Pacific/Kiritimati");
    Long pid = null;
    List<ProcessHandle> tree = List.of();
    try {
      assertThat(start.code)
          .as("offhours local start:\n%s%s", start.out, start.err)
          .isZero();
      StateFile state = StateFile.read(StateFile.path(cache));
      pid = state.pid();
      tree = ProcessHandle.of(pid)
          .map(p -> Stream.concat(Stream.of(p), p.descendants()).toList())
          .orElse(List.of());
      assertThat(tree)
          .as("the stack's process tree (pid %s)", pid)
          .anySatisfy(p -> assertThat(p.info().commandLine().orElse("")).contains("moto_server"));
      // The state file holds the stack's credentials and the logs show what was classified: the
      // user's own.
      assertThat(permissions(LocalDirectory.of(cache))).as("local/").isEqualTo("rwx------");
      assertThat(permissions(StateFile.path(cache))).as("local/stack.json").isEqualTo("rw-------");
      assertThat(permissions(cache.resolve("local/logs"))).as("local/logs/").isEqualTo("rwx------");
      try (var logs = Files.list(cache.resolve("local/logs"))) {
        assertThat(logs.toList())
            .as("the stack's logs")
            .isNotEmpty()
            .allSatisfy(log -> assertThat(permissions(log)).as("%s", log).isEqualTo("rw-------"));
      }
      assertThat(state.settings())
          .as("what the local functions run with, for the command line")
          .containsEntry("TIME_ZONE", "Pacific/Kiritimati")
          .containsEntry("HOSTING", "scheduled")
          .containsEntry("SERVERLESS_MEMORY_MB", "2048");
      String s3 = state.endpoints().get("s3").toString();
      String dynamodb = state.endpoints().get("dynamodb").toString();
      String sqs = state.endpoints().get("sqs").toString();
      String bucket = state.names().get("bucket");
      String table = state.names().get("resultsTable");
      assertThat(start.out).as("local start prints the URLs for the AWS CLI").contains(s3);

      assertThat(start.out)
          .as("local start prints the stack's credentials for the AWS CLI")
          .contains("export AWS_ACCESS_KEY_ID=" + state.accessKeyId() + " AWS_SECRET_ACCESS_KEY="
              + state.secretAccessKey() + " AWS_DEFAULT_REGION=us-east-1");
      credentials = Map.of(
          "AWS_ACCESS_KEY_ID",
          state.accessKeyId(),
          "AWS_SECRET_ACCESS_KEY",
          state.secretAccessKey());

      Path photo = ROOT.resolve("src/demo/images/chelsea.png");
      Run cp = run(
          List.of(
              aws.toString(),
              "--endpoint-url",
              s3,
              "s3",
              "cp",
              photo.toString(),
              "s3://" + bucket + "/aws cli/chelsea.png"),
          awsEnv());
      assertThat(cp.code).as("aws s3 cp:\n%s%s", cp.out, cp.err).isZero();

      String pk = "s3://" + bucket + "/aws cli/chelsea.png";
      JsonNode item = awaitItem(byKey(aws, dynamodb, table, pk));
      assertThat(item.at("/status/S").asText()).as("the result: %s", item).isEqualTo("CLASSIFIED");
      String topLabel = item.at("/topLabel/S").asText();
      assertThat(topLabel).as("top label of chelsea.png").isNotEmpty();

      Run byLabel = run(
          List.of(
              aws.toString(),
              "--endpoint-url",
              dynamodb,
              "dynamodb",
              "query",
              "--table-name",
              table,
              "--index-name",
              "byLabel",
              "--key-condition-expression",
              "topLabel = :l",
              "--expression-attribute-values",
              "{\":l\":{\"S\":\"" + topLabel + "\"}}",
              "--no-scan-index-forward",
              "--output",
              "json"),
          awsEnv());
      assertThat(byLabel.code)
          .as("aws dynamodb query --index-name byLabel:\n%s", byLabel.err)
          .isZero();
      assertThat(StackFixture.json(byLabel.out).get("Items"))
          .as("items labelled %s", topLabel)
          .anySatisfy(i -> assertThat(i.at("/pk/S").asText()).isEqualTo(pk));

      // README's two lines as written, with the port the state file names and a photo of the
      // label its query asks for: chelsea.png, Neutral, as photo.jpg (Classify goes by its bytes).
      List<String> readme = ReadmeAwsCommands.coveredBy(ReadmeAwsCommands.LOCAL_START);
      assertThat(readme).as("README's commands against the local stack").hasSize(3);
      assertThat(s3).as("one port for S3 and DynamoDB, as README's PORT says").isEqualTo(dynamodb);
      Path copy = Files.copy(photo, work.resolve("photo.jpg"));
      Run upload = run(asWritten(readme.get(0), aws, s3, copy), awsEnv());
      assertThat(upload.code).as("%s:%n%s", readme.get(0), upload.err).isZero();
      String photoKey = "s3://offhours-images/photo.jpg";
      awaitItem(byKey(aws, dynamodb, table, photoKey));
      Run newest = run(asWritten(readme.get(1), aws, s3, copy), awsEnv());
      assertThat(newest.code).as("%s:%n%s", readme.get(1), newest.err).isZero();
      assertThat(StackFixture.json(newest.out).at("/Items/0/pk/S").asText())
          .as("README's label query, newest first: %s", newest.out)
          .isEqualTo(photoKey);

      // README's way to try the DLQ runbook locally: a message put in the DLQ with the AWS CLI;
      // dlq list shows it, dlq show gives it whole, dlq redrive sends it to its REJECTED result.
      Run dead = run(asWritten(readme.get(2), aws, sqs, copy), awsEnv());
      assertThat(dead.code).as("%s:%n%s", readme.get(2), dead.err).isZero();
      String deadId = StackFixture.json(dead.out).get("MessageId").asText();
      Run list = offhours("dlq", "list");
      assertThat(list.code).as("offhours dlq list:\n%s%s", list.out, list.err).isZero();
      assertThat(list.out)
          .as("offhours dlq list")
          .containsPattern(java.util.regex.Pattern.quote(deadId)
              + " +\\(not an S3 notification\\) +\\d+ s +no reason recorded");
      Run show = offhours("dlq", "show", deadId);
      assertThat(show.code).as("offhours dlq show:\n%s%s", show.out, show.err).isZero();
      assertThat(show.out).as("offhours dlq show").endsWith("body\nnot an upload\n");
      Run redrive = offhours("dlq", "redrive");
      assertThat(redrive.code)
          .as("offhours dlq redrive:\n%s%s", redrive.out, redrive.err)
          .isZero();
      assertThat(redrive.out).as("offhours dlq redrive").startsWith("moved 1 message back");
      awaitRejectedMessage(deadId);

      Run attributes = run(
          List.of(
              aws.toString(),
              "--endpoint-url",
              sqs,
              "sqs",
              "get-queue-attributes",
              "--queue-url",
              state.names().get("dlqUrl"),
              "--attribute-names",
              "All",
              "--output",
              "json"),
          awsEnv());
      assertThat(attributes.code)
          .as("aws sqs get-queue-attributes:\n%s", attributes.err)
          .isZero();
      assertThat(StackFixture.json(attributes.out)
              .at("/Attributes/ApproximateNumberOfMessages")
              .asText())
          .as("messages in the DLQ: %s", attributes.out)
          .isEqualTo("0");

      // The AWS CLI signs with SigV4 like the SDK: the local SageMaker and the local Lambda accept
      // it with the stack's credentials, and refuse any other.
      String sagemaker = state.endpoints().get("sagemaker").toString();
      String lambda = state.endpoints().get("lambda").toString();
      Run endpoints = run(
          List.of(
              aws.toString(),
              "--endpoint-url",
              sagemaker,
              "sagemaker",
              "list-endpoints",
              "--output",
              "json"),
          awsEnv());
      assertThat(endpoints.code)
          .as("aws sagemaker list-endpoints:\n%s", endpoints.err)
          .isZero();
      assertThat(StackFixture.json(endpoints.out).get("Endpoints"))
          .as("endpoints: %s", endpoints.out)
          .allSatisfy(e ->
              assertThat(e.get("EndpointName").asText()).isEqualTo(state.names().get("endpoint")));
      Run mappings = run(
          List.of(
              aws.toString(),
              "--endpoint-url",
              lambda,
              "lambda",
              "list-event-source-mappings",
              "--function-name",
              state.names().get("classifyFunction"),
              "--output",
              "json"),
          awsEnv());
      assertThat(mappings.code)
          .as("aws lambda list-event-source-mappings:\n%s", mappings.err)
          .isZero();
      assertThat(
              StackFixture.json(mappings.out).at("/EventSourceMappings/0/UUID").asText())
          .isEqualTo(state.names().get("mappingUuid"));
      Map<String, String> strangers = new HashMap<>(awsEnv());
      strangers.putAll(Map.of("AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing"));
      Run refused = run(
          List.of(aws.toString(), "--endpoint-url", sagemaker, "sagemaker", "list-endpoints"),
          strangers);
      assertThat(refused.code)
          .as("aws sagemaker list-endpoints with other credentials")
          .isNotZero();
      assertThat(refused.err).contains("UnrecognizedClientException");

      Run status = offhours("local", "status", "--json");
      assertThat(status.code)
          .as("offhours local status:\n%s%s", status.out, status.err)
          .isZero();
      JsonNode running = StackFixture.json(status.out);
      assertThat(running.get("running").asBoolean())
          .as("offhours local status --json: %s", status.out)
          .isTrue();
      assertThat(running.get("pid").asLong())
          .as("offhours local status --json: %s", status.out)
          .isEqualTo(pid);
      assertThat(running.get("served").toString())
          .as(
              "the default model by name (no file, no command), the Content-Type and Accept Classify"
                  + " sends, the hosting and the --time-zone the controller got")
          .isEqualTo("{\"defaultModel\":\"nsfwjs MobileNetV2\","
              + "\"contentType\":\"application/x-image\",\"accept\":\"application/json\","
              + "\"hosting\":\"scheduled\",\"timeZone\":\"Pacific/Kiritimati\"}");

      Run stop = offhours("local", "stop");
      assertThat(stop.code).as("offhours local stop:\n%s%s", stop.out, stop.err).isZero();
      assertThat(stop.out)
          .as("what its queue held, said before it stops")
          .containsPattern(
              "^the local stack's queue (still holds |and its dead-letter queue are empty)")
          .contains("stopped the local stack (pid " + pid + ")");
      assertThat(Files.readString(cache.resolve("local/logs/stack.log")))
          .as("the stack's log says what the stack's SIGTERM ended, as the demo's stderr does")
          .containsPattern(
              "(?m)^offhours: the local stack stopped; ended moto_server \\(pid \\d+\\)");
      for (ProcessHandle p : tree) {
        boolean gone = p.onExit()
            .completeOnTimeout(null, DEADLINE.toSeconds(), TimeUnit.SECONDS)
            .thenApply(x -> !p.isAlive())
            .get();
        assertThat(gone)
            .as(
                "after local stop: process %d (%s) is gone",
                p.pid(), p.info().commandLine().orElse("?"))
            .isTrue();
      }
      assertThat(offhours("local", "status").code)
          .as("local status after stop: not running")
          .isEqualTo(3);
      assertThat(StateFile.path(cache)).as("the state file after stop").doesNotExist();
    } finally {
      if (pid != null && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        offhours("local", "stop");
      }
      for (ProcessHandle p : tree) {
        p.destroyForcibly(); // only what this test started, by pid
      }
      Files.deleteIfExists(cache.resolve("models")); // the link only: the shared models stay
    }
  }

  /** The AWS CLI's query of the results table for the result of {@code pk}. */
  private static List<String> byKey(Path aws, String dynamodb, String table, String pk) {
    return List.of(
        aws.toString(),
        "--endpoint-url",
        dynamodb,
        "dynamodb",
        "query",
        "--table-name",
        table,
        "--key-condition-expression",
        "pk = :pk",
        "--expression-attribute-values",
        "{\":pk\":{\"S\":\"" + pk + "\"}}",
        "--output",
        "json");
  }

  /** A README line's words: the CLI found here, {@code PORT}'s URL and {@code photo.jpg} the given ones. */
  private static List<String> asWritten(String line, Path aws, String url, Path photo) {
    List<String> words = new ArrayList<>();
    for (String word : ShellWords.split(line)) {
      words.add(word.replace("http://127.0.0.1:PORT", url).replace("photo.jpg", photo.toString()));
    }
    words.set(0, aws.toString());
    return words;
  }

  private JsonNode awaitItem(List<String> query) throws Exception {
    try {
      Run found = Awaitility.await("a result")
          .atMost(DEADLINE)
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                Run run = run(query, awsEnv());
                assertThat(run.code).as("aws dynamodb query:\n%s", run.err).isZero();
                return run;
              },
              run -> StackFixture.json(run.out).get("Count").asInt() > 0);
      assertThat(StackFixture.json(found.out).get("Count").asInt())
          .as("results for one upload: %s", found.out)
          .isEqualTo(1);
      return StackFixture.json(found.out).get("Items").get(0);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "no result within " + DEADLINE + "; stack log:\n"
              + tail(cache.resolve("local/logs/stack.log")),
          e);
    }
  }

  /**
   * Waits for the REJECTED result {@code results} lists for the message {@code messageId} of the DLQ, which was no S3
   * notification; the redrive sent it to the queue anew, under another message id.
   */
  private void awaitRejectedMessage(String messageId) throws Exception {
    try {
      Awaitility.await("the redriven message's result")
          .atMost(DEADLINE)
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> offhours("results", "--status", "REJECTED", "--json").out,
              out -> out.lines()
                  .map(StackFixture::json)
                  .anyMatch(r -> r.get("id").asText().startsWith("sqs://offhours-queue/")
                      && r.get("reason").asText().startsWith("message body is not JSON")));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "no REJECTED result for " + messageId + " within " + DEADLINE + "; stack log:\n"
              + tail(cache.resolve("local/logs/stack.log")),
          e);
    }
  }

  private static String permissions(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  private static String tail(Path log) throws IOException {
    if (!Files.exists(log)) {
      return "(no log)";
    }
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  /** The AWS CLI on the PATH or in pyenv's shims; the test is skipped, saying so, where it is not installed. */
  private static Path awsCli() {
    List<Path> candidates = new ArrayList<>();
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      candidates.add(Path.of(dir, "aws"));
    }
    candidates.add(Path.of(System.getProperty("user.home"), ".pyenv", "shims", "aws"));
    Optional<Path> aws = candidates.stream().filter(Files::isExecutable).findFirst();
    assumeThat(aws)
        .as("the AWS CLI ('aws') is not installed: on the PATH or in ~/.pyenv/shims")
        .isPresent();
    return aws.get();
  }

  /** The stack's credentials and region; no user configuration file can change what the CLI does. */
  private Map<String, String> awsEnv() {
    Map<String, String> env = new HashMap<>(credentials);
    env.put("AWS_DEFAULT_REGION", "us-east-1");
    env.put("AWS_CONFIG_FILE", work.resolve("aws-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", work.resolve("aws-credentials").toString());
    env.put("AWS_PAGER", "");
    return env;
  }

  private Run offhours(String... args) throws Exception {
    return offhours(Map.of(), args);
  }

  /** The command with {@code env} added to its environment. */
  private Run offhours(Map<String, String> env, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(List.of(ROOT.resolve("scripts/offhours").toString()));
    command.addAll(List.of(args));
    Map<String, String> all = new HashMap<>(env);
    all.put("OFFHOURS_CACHE", cache.toString());
    return run(command, all);
  }

  private record Run(int code, String out, String err) {}

  private Run run(List<String> command, Map<String, String> env) throws Exception {
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(ROOT.toFile())
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.environment().putAll(env);
    Process process = pb.start();
    if (!process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish within " + DEADLINE
          + ":\n" + Files.readString(err));
    }
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }
}
