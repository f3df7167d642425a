package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import offhours.aws.CredentialSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Bad command lines an operator may type, each answered with a usage error (exit 2) that names the flag, before any
 * stack, Region or credentials are looked for: offline, with no local stack, a command that got that far would say
 * "no local stack is running" or ask for AWS clients, which fails the test.
 */
class BadInputTest {

  @TempDir
  Path cache;

  @TempDir
  Path files;

  private CliRun run(String... args) {
    return CliRun.offline(cache, args);
  }

  private static void usage(CliRun run, String... says) {
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains(says).doesNotContain("no local stack", "internal error");
  }

  @Test
  void anEmptyPathIsNotTheCurrentFolderUploadedWhole() {
    CliRun run = run("upload", "");

    usage(run, "an empty path names no file or folder");
    assertThat(run.err()).doesNotContain("skipped");
    // demo reads its folder the same way, after the model flags and before anything starts
    assertThatThrownBy(() -> UploadPlan.of(List.of(""), ""))
        .hasMessage("an empty path names no file or folder (an unset variable?)");
  }

  @Test
  void anEmptyKeyPrefixIsRefusedByEveryCommandWithWhatLeavingItOutDoes() {
    String empty = "needs a key prefix, got an empty value (an unset variable?); leave ";
    usage(
        run("reprocess", "--prefix", ""),
        "--prefix " + empty + "--prefix out for every key (with --all alone for every result)");
    // with another filter too: it was every key, quietly
    usage(run("reprocess", "--prefix", "", "--status", "REJECTED"), "--prefix " + empty);
    usage(
        run("dlq", "redrive", "--key-prefix", ""),
        "--key-prefix " + empty + "--key-prefix out for every message");
    usage(run("trace", "--prefix", ""), "--prefix " + empty + "--prefix out for the whole bucket");
    usage(
        run("upload", "--prefix", "", files.toString()),
        "--prefix " + empty + "--prefix out for keys at the top of the bucket");
  }

  @Test
  void anOverrideFurtherThanAYearIsRefusedBeforeTheStackIsLookedFor() {
    usage(
        run("endpoint", "start", "--until", "99999999999h"),
        "--until 99999999999h is more than 366 days away: an override lasts at most a year");
    usage(run("endpoint", "stop", "--until", "367d"), "--until 367d is more than 366 days away");
    usage(
        run("endpoint", "stop", "--until", "2999-01-01T00:00:00Z"),
        "--until 2999-01-01T00:00:00Z is more than 366 days away");
  }

  @Test
  void aPastInstantWithItsOffsetIsRefusedBeforeTheStackIsLookedFor() {
    usage(
        run("endpoint", "stop", "--until", "2020-01-01T00:00:00Z"),
        "--until 2020-01-01T00:00:00Z is not in the future");
    usage(
        run("endpoint", "start", "--until", "2020-01-01T00:00+01:00"),
        "--until 2020-01-01T00:00+01:00 is not in the future");
  }

  @Test
  void wholeNumberFlagsTakeAsciiDigitsOnly() {
    usage(
        run("results", "--limit", "\uff15"),
        "--limit needs a whole number from 1 to 2147483646 in digits 0-9, got '\uff15'");
    usage(
        run("cost", "--days", "\u0665"),
        "--days needs a whole number from 1 to 3660 in digits 0-9, got '\u0665'");
    usage(run("cost", "--days", "+5"), "--days needs a whole number from 1 to 3660 in digits 0-9");
    usage(
        run("simulate", "--seed", "\uff17"),
        "--seed needs a whole number from -9223372036854775807 to 9223372036854775807 (0 and"
            + " negative ones too) in digits 0-9, got '\uff17'");
  }

  /**
   * Double.parseDouble, which every decimal flag used, also takes a type suffix, a hexadecimal number, blanks around
   * the number, a sign, an exponent, Infinity and NaN: each ran as a number no help text shows.
   */
  @Test
  void decimalFlagsTakeAsciiDigitsWithAtMostOneDotOnly() {
    String form = "': write it in digits 0-9 with at most one '.' (like 0.115)";
    usage(
        run("cost", "--price", "5d"),
        "--price needs a number of US dollars per instance-hour more than 0 and at most 1000000,"
            + " got '5d" + form);
    for (String bad :
        new String[] {"5f", "0x1p3", " 0.5", "0.5\n", "Infinity", "NaN", "+5", "1e1"}) {
      usage(run("cost", "--price", bad), "--price needs a number of US dollars", form);
      usage(
          run("simulate", "--compare", "--serverless-gb-second", bad),
          "--serverless-gb-second needs a number of US dollars per GB-second",
          form);
      usage(
          run("simulate", "--drain-per-second", bad),
          "--drain-per-second needs images per second from 0.1 to 100000",
          form);
      usage(
          run("simulate", "--wake-minutes", bad),
          "--wake-minutes needs minutes from 1 second (0.02) to a week (10080)",
          form);
      usage(
          run("backfill", "s3://photos", "--rate", bad),
          "--rate needs objects per second from 0.01 to 10000",
          form);
    }
    usage(run("backfill", "s3://photos", "--rate", "0.001"), "got '0.001'");
    usage(run("backfill", "s3://photos", "--rate", "10001"), "got '10001'");
    usage(
        run("simulate", "--hosting", "scale-to-zero", "--component-minutes", "5, 2,2,10"),
        "' 2' is not minutes from 0 to a week (10080) in digits 0-9 with at most one '.'");
    // the plain forms run, and a price Double.toString writes as 1.0E-5 reaches the simulated
    // controller's settings as the grammar reads it
    for (String price : new String[] {".5", "0.00001"}) {
      CliRun plain =
          run("simulate", "--days", "1", "--price", price, "--wake-minutes", "7.", "--json");
      assertThat(plain.exitCode()).as(plain.err()).isZero();
    }
  }

  @Test
  void aBlankLabelOrOneWithAControlCharacterIsNoClassName() {
    usage(
        run("results", "--label", " "),
        "--label needs a top label such as Neutral, got only spaces");
    usage(
        run("results", "--label", "Neu\ttral"),
        "--label needs a top label such as Neutral, got 'Neu\\x09tral', which has a control character");
    usage(run("reprocess", "--label", "\u001b[31m"), "which has a control character");
  }

  @Test
  void reprocessAllWithAFilterIsRefusedRatherThanNarrowedQuietly() {
    usage(
        run("reprocess", "--all", "--key", "a"),
        "--all is every result and does not go with --key: drop --all to reprocess what --key"
            + " selects, or the filter to reprocess every result");
    usage(
        run("reprocess", "--all", "--status", "REJECTED", "--since", "2d"),
        "does not go with --status, --since: drop --all to reprocess what --status, --since"
            + " select, or the filters to reprocess every result");
  }

  @Test
  void aContainerCommandWithAControlCharacterIsRefusedSayingWhich() {
    assertThatThrownBy(localSettings(Map.of("container-command", "serve\u0001 --port 8080"))::run)
        .hasMessage("--container-command has a control character (\\x01) at character 6: give one"
            + " line of printable text (join commands with ; or &&, or put a script in a file)");
    assertThatThrownBy(localSettings(Map.of("container-command", "cd /m\npython serve.py"))::run)
        .hasMessageStartingWith(
            "--container-command has a control character (\\x0a) at character 6");
  }

  @Test
  void quotasRefuseAClassifyConcurrencyOverTheServerlessOneAsTheTemplatesRulesDo() {
    usage(
        run(
            "quotas",
            "--hosting",
            "serverless",
            "--maximum-concurrency",
            "20",
            "--serverless-max-concurrency",
            "10"),
        "with Hosting serverless, MaximumConcurrency (20) may be at most ServerlessMaxConcurrency"
            + " (10), as template.yaml's Rules say");
    // against the template's default ServerlessMaxConcurrency, 10
    usage(
        run("quotas", "--hosting", "serverless", "--maximum-concurrency", "11"),
        "MaximumConcurrency (11) may be at most ServerlessMaxConcurrency (10)");
  }

  @Test
  void anEmptyMessageIdIsNoMessageId() {
    usage(run("dlq", "show", ""), "dlq show needs one message id");
  }

  @Test
  void aBackfillUriWithoutABucketIsRefused() {
    usage(run("backfill", "s3:///photos/"), "got 's3:///photos/' (no bucket)");
  }

  @Test
  void aStackNameNoStackCanHaveIsRefusedBeforeAwsIsAsked() {
    usage(run("results", "--stack", "prod stack!"), "--stack needs a CloudFormation stack name");
    usage(run("--stack", "my_stack", "queue"), "got 'my_stack'");
  }

  @Test
  void costAndUiFlagsAreCheckedBeforeTheStackIsLookedFor() {
    usage(run("cost", "--price", "abc"), "--price needs a number of US dollars per instance-hour");
    usage(run("cost", "--time-zone", "Mars/Olympus"), "--time-zone needs an IANA zone");
    usage(run("cost", "--instances", "0"), "--instances needs a whole number from 1 to 2147483647");
    usage(
        run("cost", "--serverless-gb-second", "-1"),
        "--serverless-gb-second needs a number of US dollars");
    usage(run("ui", "--time-zone", "Bad/Zone"), "--time-zone needs an IANA zone");
    usage(run("ui", "--price", "-1"), "--price needs a number of US dollars per instance-hour");
  }

  @Test
  void costMaxWaitWithoutCompareIsRefusedRatherThanIgnored() {
    usage(run("cost", "--max-wait", "30"), "--max-wait is the budget of --compare's misses");
    usage(
        run("cost", "--compare", "--max-wait", "abc"),
        "--max-wait needs a whole number from 1 to 20160 in digits 0-9, got 'abc'");
  }

  @Test
  void quotasFlagsAreCheckedBeforeTheRegionIsLookedFor() {
    usage(run("quotas", "--hosting", "bogus"), "--hosting needs");
    usage(run("quotas", "--instance-count", "0"), "--instance-count (InstanceCount) needs");
    usage(
        run("quotas", "--instance-type", "bogus"),
        "--instance-type (InstanceType) needs one of ml.m5.large,");
    usage(
        run("quotas", "--hosting", "serverless", "--instance-type", "ml.inf2.xlarge"),
        "--hosting and --instance-type: with Hosting serverless, InstanceType is a CPU type");
  }

  @Test
  void noCredentialsIsSaidWithWhatToDoNotWithTheSdksListOfProviders() {
    String chain = "Unable to load credentials from any of the providers in the chain"
        + " AwsCredentialsProviderChain(credentialsProviders=[SystemPropertyCredentialsProvider()])";
    Exception none = (Exception) catchThrowable(() -> CredentialSources.markingNone(() -> {
          throw SdkClientException.create(chain);
        })
        .resolveCredentials());

    assertThat(Main.message("offhours trace", none))
        .startsWith("trace failed: no AWS credentials: run 'aws configure'")
        .doesNotContain("Provider");
    assertThat(Main.message("offhours trace", SdkClientException.create(chain)))
        .as("told by the chain's NoCredentials, not by the SDK's words")
        .isEqualTo("trace failed: " + chain);
  }

  @Test
  void anEmptyTraceFileIsNotTheCurrentFolder() {
    usage(
        run("simulate", "--trace-file", ""), "--trace-file needs a trace file, got an empty value");
  }

  @Test
  void aTraceFileOverMoreThanAYearIsAUsageErrorNotAnInternalOne() throws Exception {
    Path trace = Files.writeString(
        files.resolve("long.txt"), "2020-01-06T08:00:00Z\n2026-01-05T08:00:00Z\n");

    usage(
        run("simulate", "--trace-file", trace.toString()),
        "--trace-file " + trace + ": the trace spans",
        "simulate at most 366");
  }

  @Test
  void aTraceFileOfMoreUploadsThanTracePrintsIsRefusedBeforeItRunsForHours() throws Exception {
    Path trace = files.resolve("huge.txt");
    StringBuilder lines = new StringBuilder();
    java.time.Instant first = java.time.Instant.parse("2026-10-19T07:00:00Z");
    for (int i = 0; i <= UploadTrace.MAX_UPLOADS; i++) {
      lines.append(first.plusSeconds(i)).append('\n');
    }
    Files.writeString(trace, lines);

    usage(
        run("simulate", "--trace-file", trace.toString()),
        "has " + (UploadTrace.MAX_UPLOADS + 1) + " uploads; simulate takes at most "
            + UploadTrace.MAX_UPLOADS);
  }

  @Test
  void flagsThatShapeABuiltInTraceAreRefusedWithATraceFile() throws Exception {
    Path trace = Files.writeString(files.resolve("t.txt"), "2026-10-19T07:14:15Z\n");
    for (String[] flag : new String[][] {
      {"--trace", "bursty"}, {"--days", "3"}, {"--start", "2026-01-05"}, {"--seed", "7"}
    }) {
      usage(
          run("simulate", "--trace-file", trace.toString(), flag[0], flag[1]),
          "--trace-file and " + flag[0] + " do not go together");
    }
  }

  @Test
  void flagsThatGoalsWouldIgnoreAreRefused() {
    usage(run("simulate", "--goals", "--compare"), "--goals and --compare do not go together");
    usage(run("simulate", "--goals", "--days", "3"), "--goals and --days do not go together");
    usage(
        run("simulate", "--goals", "--max-wait", "30"),
        "--goals and --max-wait do not go together");
  }

  @Test
  void createFailuresTakesItsDefaultZero() throws Exception {
    Path trace = Files.writeString(files.resolve("t.txt"), "2026-10-19T07:14:15Z\n");

    CliRun run = run("simulate", "--trace-file", trace.toString(), "--create-failures", "0");

    assertThat(run.exitCode()).as(run.err()).isZero();
    usage(
        run("simulate", "--create-failures", "-1"),
        "--create-failures needs a whole number from 0 to 2147483647 in digits 0-9, got '-1'");
  }

  @Test
  void wakeAndStopMinutesAreBoundedRatherThanOverflowingOrRoundedToNothing() {
    usage(run("simulate", "--stop-minutes", "1e300"), "--stop-minutes needs minutes from 1 second");
    usage(run("simulate", "--wake-minutes", "0.001"), "--wake-minutes needs minutes from 1 second");
    usage(run("simulate", "--wake-minutes", "20000"), "to a week (10080)");
  }

  @Test
  void aLimitTooLargeIsNotCalledNotPositive() {
    usage(
        run("results", "--limit", "99999999999999"),
        "--limit must be at most 2147483646, got 99999999999999");
  }

  /** The local stack's model flags as 'local start', 'local run' and 'demo' read them, before anything starts. */
  private Runnable localSettings(Map<String, String> flags) {
    return () -> LocalCommand.settings(CliRun.quietCall(cache, CliRun.CLOCK, flags));
  }

  @Test
  void localModelFlagsAreCheckedBeforeTheStackStarts() throws Exception {
    Path folder = Files.createDirectory(files.resolve("models"));
    Path empty = Files.writeString(files.resolve("labels.txt"), "\n  \n");

    assertThatThrownBy(localSettings(Map.of("container-command", ""))::run)
        .hasMessage("--container-command is empty; give the command that serves the model, or leave"
            + " it out for the default model");
    assertThatThrownBy(localSettings(Map.of("model", ""))::run)
        .hasMessage("--model needs an ONNX model file, got an empty value");
    assertThatThrownBy(localSettings(Map.of("model", folder.toString()))::run)
        .hasMessage("model file '" + folder + "' is a folder; give the path of an ONNX model");
    assertThatThrownBy(localSettings(Map.of("labels", empty.toString()))::run)
        .isInstanceOf(CliException.class)
        .hasMessageStartingWith("labels file '" + empty + "' has no labels");
    Path tabbed = Files.writeString(files.resolve("tabbed.txt"), "cat\nbig\tdog\n");
    assertThatThrownBy(localSettings(Map.of("labels", tabbed.toString()))::run)
        .isInstanceOf(CliException.class)
        .hasMessage("labels file '" + tabbed + "' has a class name at index 1 (counting from 0,"
            + " in the model's output order) with a control character, \\u0009, at character 3:"
            + " 'big\\u0009dog'");
  }

  @Test
  void seedZeroAndNegativeSeedsAreSeedsAsJavaUtilRandomTakesThem() {
    for (String seed : new String[] {"0", "-7"}) {
      CliRun run = run("simulate", "--seed", seed, "--days", "1", "--json");
      assertThat(run.exitCode()).as(run.err()).isZero();
    }
    usage(
        run("simulate", "--seed", "1.5"), "--seed needs a whole number from -9223372036854775807");
    // Digits beyond a long are a number too: said as more than a seed takes, as --days says it.
    usage(
        run("simulate", "--seed", "99999999999999999999"),
        "--seed must be from -9223372036854775807 to 9223372036854775807, got 99999999999999999999;"
            + " see 'offhours simulate --help'");
    usage(
        run("simulate", "--seed", "-99999999999999999999"),
        "--seed must be from -9223372036854775807 to 9223372036854775807, got -99999999999999999999");
    usage(
        run("simulate", "--seed", "-9223372036854775808"),
        "--seed must be from -9223372036854775807 to 9223372036854775807, got -9223372036854775808");
    CliRun largest = run("simulate", "--seed", "-9223372036854775807", "--days", "1", "--json");
    assertThat(largest.exitCode()).as(largest.err()).isZero();
  }

  @Test
  void everyPriceFlagOfEveryCommandRefusesZeroTheSameWay() {
    String zero =
        "more than 0 and at most 1000000, got '0': at $0 every cost and saving in dollars is 0";
    usage(
        run("cost", "--price", "0"),
        "--price needs a number of US dollars per instance-hour " + zero);
    usage(run("ui", "--price", "0.0"), "--price needs", "got '0.0': at $0");
    usage(
        run("simulate", "--price", "0"),
        "--price needs a number of US dollars per instance-hour " + zero);
    usage(
        run("simulate", "--compare", "--serverless-gb-second", "0"),
        "--serverless-gb-second needs a" + " number of US dollars per GB-second " + zero);
    usage(
        run("cost", "--serverless-gb-data", "-0"),
        "--serverless-gb-data needs a number of US dollars per GB");
    usage(run("simulate", "--price", "1e308"), "at most 1000000, got '1e308'");
  }

  @Test
  void anUnorderedTraceFileIsSortedWithANoteAndRepeatedInstantsAreEachAnUpload() throws Exception {
    Path trace = Files.writeString(
        files.resolve("merged.txt"),
        "2026-10-19T09:00:00Z\n2026-10-19T08:00:00Z\n2026-10-19T08:00:00Z\n");

    CliRun run = run("simulate", "--trace-file", trace.toString(), "--json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err())
        .isEqualTo("--trace-file " + trace + ": line 2 is earlier than a line above it; simulating"
            + " the 3 uploads in time order\n");
    assertThat(CliRun.jsonLinesOf(run).getFirst().get("uploads").asInt()).isEqualTo(3);
  }

  @Test
  void doubleDashBeforeTheCommandEndsTheOptionsAsAfterIt() {
    CliRun policy = run("--", "deploy-policy");
    assertThat(policy.exitCode()).as(policy.err()).isZero();
    assertThat(policy.out()).contains("\"Statement\"");
    // After "--" no word is an option, before the command or after it.
    usage(run("--", "results", "--json"), "unexpected argument '--json' for 'offhours results'");
    usage(run("--", "--json", "results"), "unknown command '--json' for 'offhours'");
    usage(run("--"), "'offhours' needs a command");
    CliRun help = run("help", "--", "results");
    assertThat(help.exitCode()).as(help.err()).isZero();
    assertThat(help.out()).startsWith("usage: offhours results");
  }

  @Test
  void costDaysAndMaxWaitAreBoundedByWhatTheLedgerAndTheSimulationTake() {
    usage(run("cost", "--days", "3661"), "--days must be at most 3660, got 3661");
    usage(run("cost", "--days", "367", "--compare"), "--days with --compare is at most 366");
    usage(run("cost", "--compare", "--max-wait", "20161"), "--max-wait must be at most 20160");
  }

  @Test
  void simulateValuesOutOfTheirRangeAreUsageErrorsNotInternalOnesOrDefaults() {
    usage(
        run("simulate", "--max-wait", ""),
        "--max-wait needs minutes or next-opening, got an empty");
    usage(run("simulate", "--start", "+999999999-12-31"), "--start needs a date from 1970-01-01");
    usage(run("simulate", "--start", "-999999999-01-01"), "--start needs a date from 1970-01-01");
    usage(
        run("simulate", "--drain-per-second", "1e-300"),
        "--drain-per-second needs images per second");
    usage(run("simulate", "--drain-per-second", "1e300"), "from 0.1 to 100000, got '1e300'");
  }

  @Test
  void aDrainRateIsShownAsGivenNotRoundedToAWholeNumber() {
    CliRun run = run("simulate", "--drain-per-second", "2.5", "--days", "1");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains(", 2.5 images/s,");
  }

  @Test
  void aNumberTooLargeIsEchoedAsGivenAndAFractionIsNotCutToAWholeNumber() {
    usage(run("ui", "--port", "99999999999"), "--port must be at most 65535, got 99999999999");
    usage(
        run("ui", "--port", "http"),
        "--port needs a whole number from 1 to 65535 in digits 0-9, got 'http'");
    usage(run("backfill", "s3://photos", "--page-size", "99999999999"), "got 99999999999");
    // Digits beyond a long, and a long's extremes, are refused in each flag's own range.
    for (String beyond : List.of("99999999999999999999", "9223372036854775807")) {
      usage(run("ui", "--port", beyond), "--port must be at most 65535, got " + beyond);
      usage(
          run("backfill", "s3://photos", "--page-size", beyond),
          "--page-size must be at most 1000, got " + beyond);
      usage(run("demo", "--timeout", beyond), "--timeout must be at most 86400, got " + beyond);
    }
    usage(
        run("demo", "--timeout", "-9223372036854775808"),
        "--timeout needs a whole number from 1 to 86400 in digits 0-9, got '-9223372036854775808'");
    usage(run("backfill", "s3://photos", "--max", "0.5"), "--max needs a positive whole number");
    usage(
        run("backfill", "s3://photos", "--page-size", "2.5"),
        "--page-size needs a whole number from 1 to 1000");
  }

  @Test
  void aBucketNameNoBucketCanHaveIsRefusedBeforeAwsIsAsked() {
    usage(
        run("trace", "--bucket", "s3://photos"),
        "--bucket needs an S3 bucket name (the name alone," + " without s3://)");
    usage(run("trace", "--bucket", "ab"), "--bucket needs an S3 bucket name");
    usage(run("backfill", "s3://b\u001b[31m/x"), "backfill's s3://BUCKET needs an S3 bucket name");
    usage(run("backfill", "s3://" + "b".repeat(256)), "backfill's s3://BUCKET needs");
  }

  @Test
  void aKeyPrefixLongerThanAnyKeyIsRefused() {
    String prefix = "p".repeat(1025);
    String says =
        "is 1025 bytes (UTF-8), and no S3 key is longer than 1024: no object can start with it";
    usage(run("reprocess", "--prefix", prefix), "--prefix " + says);
    usage(run("dlq", "redrive", "--key-prefix", prefix), "--key-prefix " + says);
    usage(run("trace", "--prefix", prefix), "--prefix " + says);
    usage(run("upload", "--prefix", prefix, files.toString()), "--prefix " + says);
    usage(run("backfill", "s3://photos/" + prefix), "is longer than any S3 key");
  }

  @Test
  void aMessageIdNoMessageCanHaveIsRefusedBeforeTheDlqIsRead() {
    usage(
        run("dlq", "show", "x".repeat(101)), "dlq show needs a message id as 'dlq list' prints it");
    usage(run("dlq", "show", "a\u0007b"), "dlq show needs a message id");
    usage(run("dlq", "redrive", "--id", "a, b c"), "--id needs a message id", "got 'b c'");
  }

  @Test
  void quotasCountsAreThoseTheTemplateTakes() {
    usage(
        run("quotas", "--instance-count", "11"),
        "--instance-count (InstanceCount) needs a whole number from 1 to 10, as template.yaml takes it");
    usage(run("quotas", "--maximum-concurrency", "1"), "from 2 to 1000");
    usage(
        run("quotas", "--serverless-max-concurrency", "3"),
        "needs one of 2, 5, 10, 20, 50, 100, 200");
  }

  @Test
  void aLabelsFileThatIsADeviceIsNotSaidToBeMissing() {
    assertThatThrownBy(localSettings(Map.of("labels", "/dev/null"))::run)
        .hasMessageStartingWith("labels file '/dev/null' is not a regular file");
  }
}
