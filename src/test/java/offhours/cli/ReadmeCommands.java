package offhours.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every {@code scripts/...} command the README shows, in code blocks and in inline code, and the test that runs each
 * one. A command the README gains without an entry here fails {@link ReadmeCommandsTest}; so does an entry whose
 * command the README no longer shows, or whose test does not exist.
 */
final class ReadmeCommands {

  static final Path README = Path.of("README.md");

  /** Run by CI: .ci/run runs it, and that run is the test suite itself. */
  static final String CI = ".ci/run";

  static final String LOCAL_STACK =
      "offhours.cli.ReadmeCommandsIT#theReadmeCommandsRunAgainstTheLocalStack";

  static final String OPERATIONS = "offhours.cli.OperationsIT#";

  static final String DEPLOY_POLICY_PARTS =
      "offhours.cli.DeployPolicyCommandTest#theReadmesPartsAreEveryPartEachFitsAManagedPolicyAndTogetherTheyAreThePolicy";

  /** The operating commands against the whole local stack, the Classify function classifying what they send. */
  static final String OPERATING =
      "offhours.local.OperatingIT#backfillReprocessAndRedriveEachEndWithOneClassificationPerObject";

  /**
   * README command line -> the test that runs it ("class#method"). Commands against a deployed stack (--stack)
   * cannot reach AWS here: {@link ReadmeCommandsTest} parses each and checks it resolves to the named stack, and
   * ReadmeCommandsIT runs the same command against the local stack.
   */
  static final Map<String, String> COVERED = ordered(
      "scripts/demo",
      "offhours.cli.DemoScriptIT#demoClassifiesTheBundledPhotosRejectsTheBadUploadsAndExitsZero",
      "scripts/test",
      CI,
      "scripts/demo DIR",
      "offhours.cli.DemoOptionsIT#aUsersOwnOnnxModelAndLabelsWithCommasInTheirNamesServeTheDemo",
      "scripts/offhours cost",
      LOCAL_STACK,
      "scripts/offhours simulate --days 7 --trace office-hours",
      LOCAL_STACK,
      "scripts/offhours simulate --compare",
      LOCAL_STACK,
      "scripts/offhours cost --compare",
      LOCAL_STACK,
      "scripts/offhours --stack offhours cost --compare",
      LOCAL_STACK,
      // It writes a page: the browser IT runs it and checks that the page draws in headless
      // Chromium.
      "scripts/offhours simulate --html week.html",
      "offhours.ui.HostingPageBrowserIT#theSimulatedWeekPageDrawsItsTimelineAndItsCurveWithoutTheNetwork",
      "scripts/offhours simulate --trace-file src/test/resources/traces/uploads.txt --max-wait 30 --json",
      "offhours.cli.SimulateCommandTest#aTraceFileIsSimulatedOverItsDaysAndTheJsonHasTheBudgetsNumbers",
      "scripts/offhours trace --bucket my-photos --days 7 > week.txt && scripts/offhours simulate"
          + " --trace-file week.txt --compare",
      "offhours.cli.TraceCommandIT#theReadmesPipelineSimulatesEveryHostingOptionOnTheTrace",
      "scripts/offhours simulate --hosting scale-to-zero",
      "offhours.cli.SimulateCommandTest#theScaleToZeroHostingRunsTheComponentWithoutALowerBound",
      "scripts/offhours simulate --goals",
      "offhours.cli.SimulateGoalsIT#theGoalsTableHasARowPerTraceAndBudget",
      "scripts/offhours",
      "offhours.cli.WrapperScriptIT#theWrapperScriptRunsTheCli",
      // No account here: a stand-in speaks Service Quotas', Lambda's and CloudFormation's
      // protocols.
      "scripts/offhours quotas --instance-type ml.g5.xlarge",
      "offhours.cli.QuotasCommandIT#theReadmesExampleIsWhatTheCommandPrints",
      "scripts/offhours quotas",
      "offhours.cli.QuotasCommandIT#beforeTheFirstDeployAQuotaOfZeroIsTooLowAndTheRequestForAnIncreaseIsPrinted",
      "scripts/offhours --stack offhours quotas",
      "offhours.cli.QuotasCommandIT#aDeployedServerlessStackIsCheckedWithItsOwnParametersAndLambdasReservedConcurrency",
      "scripts/offhours deploy-policy --stack offhours --region us-east-1 --account 123456789012",
      "offhours.cli.DeployPolicyCommandTest#theReadmesCommandPrintsThePolicyForThatStackRegionAndAccount",
      "scripts/offhours deploy-policy --stack offhours --region us-east-1 --account 123456789012 --part 1 >"
          + " deployer-1.json",
      DEPLOY_POLICY_PARTS,
      "scripts/offhours deploy-policy --stack offhours --region us-east-1 --account 123456789012 --part 2 >"
          + " deployer-2.json",
      DEPLOY_POLICY_PARTS,
      "scripts/offhours local start",
      LOCAL_STACK,
      "scripts/offhours upload PATH...",
      LOCAL_STACK,
      "scripts/offhours queue",
      LOCAL_STACK,
      "scripts/offhours endpoint status",
      LOCAL_STACK,
      "scripts/offhours endpoint start --until 18:00",
      LOCAL_STACK,
      "scripts/offhours results --label Neutral --json",
      LOCAL_STACK,
      "scripts/offhours endpoint stop",
      LOCAL_STACK,
      "scripts/offhours endpoint auto",
      LOCAL_STACK,
      "scripts/offhours local stop",
      LOCAL_STACK,
      "scripts/demo --model model.onnx --labels labels.txt",
      "offhours.cli.DemoOptionsIT#aUsersOwnOnnxModelAndLabelsWithCommasInTheirNamesServeTheDemo",
      "scripts/demo --container-command \"python3 serve.py\" --labels labels.txt",
      "offhours.cli.DemoOptionsIT#aUsersOwnContainerCommandServesTheDemo",
      "scripts/demo --container-command \"python3 serve.py\" --content-type auto",
      "offhours.cli.DemoOptionsIT#aHuggingFaceShapedContainerThatRefusesXImageServesTheDemoWithContentTypeAutoAndNoLabels",
      "scripts/demo --hosting serverless",
      "offhours.cli.DemoOptionsIT#theDemoRunsOnAServerlessEndpoint",
      "scripts/offhours --stack offhours endpoint start",
      LOCAL_STACK,
      "scripts/demo --hosting scale-to-zero",
      "offhours.cli.DemoOptionsIT#theDemoRunsOnAScaleToZeroInferenceComponent",
      "scripts/offhours local start --hosting scale-to-zero",
      "offhours.cli.ReadmeCommandsIT#localStartWithScaleToZeroClassifiesThroughTheInferenceComponent",
      "scripts/offhours local update --container-command \"python3 serve.py\" --labels labels.txt",
      "offhours.cli.ReadmeCommandsIT#localUpdateGivesTheRunningStackANewModelWhichClassifiesTheNextUploads",
      "scripts/offhours --stack offhours results",
      LOCAL_STACK,
      "OFFHOURS_TEST_AWS_ENDPOINT=http://localhost:4566 scripts/test",
      "offhours.testing.ExternalEndpointSwitchIT#anExternalEndpointReceivesTheResourcesAndNoMotoServerIsStarted",
      // The package lines only, with --quick: the timed lines take minutes and a test must not
      // judge time.
      "scripts/bench",
      "offhours.bench.BenchScriptIT#benchPrintsThePackageSizeLinesAgainstTheirLimits",
      "scripts/bench --quick",
      "offhours.bench.BenchScriptIT#benchPrintsThePackageSizeLinesAgainstTheirLimits",
      "scripts/offhours dlq list",
      OPERATIONS + "dlqListPagesThroughEveryMessageWithItsKeysReasonAndAgeAndLeavesThemAllVisible",
      "scripts/offhours dlq show MESSAGE_ID",
      OPERATIONS + "dlqShowPrintsTheBodyWithControlCharactersEscaped",
      "scripts/offhours dlq redrive --key-prefix cats/",
      OPERATIONS
          + "dlqRedriveByKeyPrefixMovesOnlyThoseSendingBeforeDeletingAndKeepsTheirAttributes",
      "scripts/offhours dlq redrive",
      OPERATING,
      "scripts/offhours reprocess --status REJECTED",
      OPERATING,
      "scripts/offhours reprocess --settings stale",
      OPERATIONS + "reprocessSettingsStaleSendsOnlyTheClassificationsASettingsChangeLeftBehind",
      "scripts/offhours reprocess --all --dry-run",
      OPERATIONS + "reprocessSendsTheSelectedVersionsAsTheNotificationsS3SentAndDryRunSendsNothing",
      "scripts/offhours backfill s3://offhours-images/ --rate 20",
      OPERATING,
      // CI's size; the README's 1,000-upload table comes from the same script and driver.
      "scripts/chaos --uploads 200 --seed 1",
      "offhours.chaos.ChaosScriptIT#twoHundredUploadsUnderFaultsLoseNothingDoubleNothingAndPutNoValidImageInTheDlq",
      "scripts/chaos --uploads 1000 --seed 2026",
      "offhours.chaos.ChaosScriptIT#twoHundredUploadsUnderFaultsLoseNothingDoubleNothingAndPutNoValidImageInTheDlq",
      "scripts/chaos [--uploads N] [--seed S]",
      "offhours.chaos.ChaosScriptIT#twoHundredUploadsUnderFaultsLoseNothingDoubleNothingAndPutNoValidImageInTheDlq",
      // It serves until Ctrl-C: the browser IT starts it against the local stack and drives the
      // page.
      "scripts/offhours ui",
      "offhours.ui.UiBrowserIT#uploadWaitFilterReadAReasonAndStopTheEndpointFromThePage");

  /** "scripts/NAME" where NAME is a script, optionally after VAR=value assignments, up to a comment. */
  private static final Pattern COMMAND =
      Pattern.compile("^((?:[A-Z_][A-Z0-9_]*=\\S*\\s+)*scripts/[a-z]+\\b.*?)\\s*(?:#.*)?$");

  private static final Pattern INLINE = Pattern.compile("`([^`\\n]+)`");

  private ReadmeCommands() {}

  static String readme() {
    try {
      return Files.readString(README);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The commands in order of first appearance, each once. */
  static List<String> extract(String markdown) {
    Set<String> commands = new LinkedHashSet<>();
    boolean inBlock = false;
    for (String line : markdown.split("\n", -1)) {
      if (line.strip().startsWith("```")) {
        inBlock = !inBlock;
        continue;
      }
      if (inBlock) {
        addIfCommand(commands, line.strip());
      } else {
        Matcher inline = INLINE.matcher(line);
        while (inline.find()) {
          addIfCommand(commands, inline.group(1).strip());
        }
      }
    }
    return List.copyOf(commands);
  }

  private static void addIfCommand(Set<String> commands, String text) {
    Matcher command = COMMAND.matcher(text);
    if (command.matches()) {
      commands.add(command.group(1).strip());
    }
  }

  /** The README's commands that {@code test} runs, in README order. */
  static List<String> coveredBy(String test) {
    return extract(readme()).stream().filter(c -> test.equals(COVERED.get(c))).toList();
  }

  /** Command to test, in the order given; a command listed twice is an error. */
  static Map<String, String> ordered(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      if (map.put(pairs[i], pairs[i + 1]) != null) {
        throw new IllegalArgumentException("listed twice: " + pairs[i]);
      }
    }
    return map;
  }
}
