package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The command line itself: help, global options, parsing, usage errors, the command registry, internal errors. */
class MainTest {

  @TempDir
  Path cache;

  CliRun run(String... args) {
    return CliRun.offline(cache, args);
  }

  @Test
  void topLevelHelpListsEveryCommandAndExitsZero() {
    CliRun run = run("--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .startsWith("usage: offhours COMMAND [OPTIONS]")
        .contains("  upload ", "  results ", "  queue ", "  endpoint ");
    assertThat(run.err()).isEmpty();
  }

  static Stream<List<String>> leafCommands() {
    List<List<String>> paths = new ArrayList<>();
    for (Command command : Commands.all()) {
      if (command.subcommands().isEmpty()) {
        paths.add(List.of(command.name()));
      }
      command.subcommands().forEach(sub -> paths.add(List.of(command.name(), sub.name())));
    }
    return paths.stream();
  }

  @ParameterizedTest
  @MethodSource("leafCommands")
  void everyCommandHasHelpThatNamesJsonAndStack(List<String> path) {
    List<String> args = new ArrayList<>(path);
    args.add("--help");
    CliRun run = run(args.toArray(String[]::new));
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .startsWith("usage: offhours " + String.join(" ", path))
        .contains("--help, -h");
    // Commands that run things on this machine (the local stack, the demo, the simulation) have no
    // --stack; every command that prints data has --json, but trace, whose output is the trace file
    // simulate reads.
    if (!LOCAL_ONLY.contains(path.getFirst())) {
      assertThat(run.out()).contains("--stack NAME");
    }
    if (!List.of("local stop", "local run", "trace").contains(String.join(" ", path))) {
      assertThat(run.out()).contains("--json");
    }
  }

  private static final List<String> LOCAL_ONLY = List.of("demo", "local", "simulate");

  @Test
  void helpWordAndDashHWorkLikeDashDashHelp() {
    assertThat(run("help", "endpoint", "start").out())
        .isEqualTo(run("endpoint", "start", "--help").out());
    assertThat(run("queue", "-h").out())
        .startsWith("usage: offhours queue [--json] [--stack NAME]");
    assertThat(run("endpoint", "--help").out())
        .contains("commands:", "  status ", "  start ", "  stop ", "  auto ");
  }

  @Test
  void unknownOptionExitsTwoAndPointsToHelp() {
    CliRun run = run("results", "--x");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "offhours: unknown option --x for 'offhours results'; see 'offhours results --help'\n");
    assertThat(run("results", "--x=1").err()).contains("unknown option --x for 'offhours results'");
    assertThat(run("--verbose").err())
        .contains("unknown option --verbose for 'offhours'; see 'offhours --help'");
  }

  /** Runs with clients for a deployed stack that fail with a message naming the stack the command asked for. */
  CliRun runDeployed(String... args) {
    return CliRun.run(
        cache,
        CliRun.CLOCK,
        () -> {
          throw CliException.failure("asked AWS for a deployed stack");
        },
        Commands.all(),
        args);
  }

  @Test
  void globalOptionsWorkBeforeTheCommandAsAfterIt() {
    for (List<String> args : List.of(
        List.of("--stack", "offhours", "endpoint", "start"),
        List.of("--stack=offhours", "endpoint", "start"),
        List.of("endpoint", "--stack", "offhours", "start"),
        List.of("endpoint", "start", "--stack", "offhours"),
        List.of("--json", "--stack", "offhours", "queue"))) {
      CliRun run = runDeployed(args.toArray(String[]::new));
      assertThat(run.err()).as("%s", args).isEqualTo("offhours: asked AWS for a deployed stack\n");
      assertThat(run.exitCode()).isEqualTo(1);
    }
    assertThat(run("--json", "simulate", "--days", "1").out()).startsWith("{");
  }

  @Test
  void aGlobalOptionIsRefusedWhereItDoesNotApplyOrIsIncomplete() {
    CliRun local = runDeployed("--stack", "prod", "local", "status");
    assertThat(local.exitCode()).isEqualTo(2);
    assertThat(local.err())
        .isEqualTo("offhours: --stack does not apply to 'offhours local status';"
            + " see 'offhours local status --help'\n");
    assertThat(runDeployed("--stack").err()).contains("option --stack needs a value: --stack NAME");
    assertThat(runDeployed("--stack", "--json", "queue").err())
        .contains("option --stack needs a value");
    assertThat(runDeployed("--stack", "a", "queue", "--stack", "b").err())
        .contains("option --stack was given twice");
    assertThat(runDeployed("--stack", "a", "--help").out())
        .contains("options, before or after the command", "--stack NAME", "--json");
  }

  @Test
  void anUnknownOptionSuggestsTheNearestOfTheCommandsOwn() {
    assertThat(run("results", "--lable", "Neutral").err())
        .isEqualTo("offhours: unknown option --lable for 'offhours results' (did you mean"
            + " '--label'?); see 'offhours results --help'\n");
    assertThat(run("upload", "--prefx=cats", "a.jpg").err())
        .contains("unknown option --prefx for 'offhours upload' (did you mean '--prefix'?)");
    assertThat(run("results", "--jsno").err()).contains("(did you mean '--json'?)");
    assertThat(run("--jsno", "results").err())
        .contains("unknown option --jsno for 'offhours' (did you mean '--json'?)");
    // Nothing near: no guess. Short names take one edit only, so --x is not read as --key.
    assertThat(run("results", "--x").err()).doesNotContain("did you mean");
    assertThat(run("results", "--colour").err()).doesNotContain("did you mean");
    assertThat(run("local", "strat").err()).contains("(did you mean 'start'?)");
    assertThat(run("RESULTS").err()).contains("(did you mean 'results'?)");
    assertThat(run("results", "--Label", "Neutral").err()).contains("(did you mean '--label'?)");
  }

  @Test
  void unknownCommandSuggestsTheNearestOne() {
    CliRun run = run("reslts");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo(
            "offhours: unknown command 'reslts' for 'offhours' (did you mean 'results'?); see 'offhours --help'\n");
    assertThat(run("endpoint", "reboot").err())
        .isEqualTo(
            "offhours: unknown command 'reboot' for 'offhours endpoint'; see 'offhours endpoint --help'\n");
  }

  @Test
  void groupWithoutSubcommandNamesTheChoices() {
    CliRun run = run("endpoint");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("'offhours endpoint' needs a command: status, start, stop, auto");
    assertThat(run().exitCode()).isEqualTo(2);
  }

  @Test
  void optionValueProblemsAreUsageErrors() {
    assertThat(run("results", "--label").err())
        .startsWith(
            "offhours: option --label needs a value: --label L; see 'offhours results --help'");
    assertThat(run("results", "--label", "--json").err()).contains("option --label needs a value");
    assertThat(run("results", "--json=yes").err()).contains("option --json takes no value");
    assertThat(run("results", "--label", "a", "--label=b").err())
        .contains("option --label was given twice");
    CliRun operand = run("queue", "extra");
    assertThat(operand.exitCode()).isEqualTo(2);
    assertThat(operand.err()).contains("unexpected argument 'extra' for 'offhours queue'");
  }

  @Test
  void parserReadsBothValueFormsAndOperandsAfterDoubleDash() {
    List<Option> options = List.of(Option.value("label", "L", "l"), Option.JSON);
    Arguments args = ArgumentParser.parse(
        "offhours x", options, List.of("a", "--label=Neutral", "--json", "--", "--not-an-option"));
    assertThat(args.operands()).containsExactly("a", "--not-an-option");
    assertThat(args.value("label")).contains("Neutral");
    assertThat(args.has("json")).isTrue();
    assertThat(ArgumentParser.parse("offhours x", options, List.of("--label", "a=b"))
            .value("label"))
        .contains("a=b");
  }

  @Test
  void badStatusAndLimitAreUsageErrors() {
    CliRun status = run("results", "--status", "done");
    assertThat(status.exitCode()).isEqualTo(2);
    assertThat(status.err()).contains("unknown status 'done'; use CLASSIFIED or REJECTED");
    assertThat(run("results", "--limit", "0").err())
        .contains("--limit needs a whole number from 1 to 2147483646 in digits 0-9, got '0'");
  }

  @Test
  void aFunctionsLogLineIsOneLineNamingTheFunctionNotTheJavaMethodThatLoggedIt() {
    String before = System.getProperty(Main.LOG_FORMAT_PROPERTY);
    System.clearProperty(Main.LOG_FORMAT_PROPERTY);
    try {
      Main.oneLineLogs();
      java.util.logging.LogRecord record =
          new java.util.logging.LogRecord(java.util.logging.Level.INFO, "{0} {1}");
      record.setParameters(new Object[] {"a3387ed7", "schedule tick: want OFF"});
      record.setLoggerName("offhours.lambda.offhours-controller");
      record.setSourceClassName("offhours.local.invocation.LambdaContext$1");
      record.setSourceMethodName("log");
      record.setInstant(java.time.Instant.parse("2026-12-04T17:13:50Z"));
      String line = new java.util.logging.SimpleFormatter().format(record);
      java.time.ZonedDateTime at =
          java.time.Instant.parse("2026-12-04T17:13:50Z").atZone(java.time.ZoneId.systemDefault());
      assertThat(line)
          .isEqualTo(String.format(
              java.util.Locale.ROOT,
              "%1$tF %1$tT %1$tZ INFO offhours.lambda.offhours-controller a3387ed7 schedule tick: want OFF%n",
              at));
      System.setProperty(Main.LOG_FORMAT_PROPERTY, "%5$s%n");
      Main.oneLineLogs();
      assertThat(System.getProperty(Main.LOG_FORMAT_PROPERTY))
          .as("a format the user set")
          .isEqualTo("%5$s%n");
    } finally {
      if (before == null) {
        System.clearProperty(Main.LOG_FORMAT_PROPERTY);
      } else {
        System.setProperty(Main.LOG_FORMAT_PROPERTY, before);
      }
    }
  }

  @Test
  void queueAndControllerAnswersReadAsText() {
    assertThat(QueueCommand.render(
            new QueueCommand.Counts(3, 1, 2, 0),
            "http://h/1/offhours-queue",
            "http://h/1/offhours-dlq",
            new MoveTasks.Latest(null, null),
            new HandBacks(null, "Disabled", 2, false)))
        .isEqualTo("queue offhours-queue: 3 visible, 1 in flight, 2 delayed\ndead-letter queue"
            + " offhours-dlq: 0\nlast move task of the dead-letter queue: none\n");
    assertThat(QueueCommand.render(
            new QueueCommand.Counts(0, 0, 0, 4),
            "http://h/1/offhours-queue",
            "http://h/1/offhours-dlq",
            new MoveTasks.Latest(null, null),
            new HandBacks(null, "Disabled", 0, false)))
        .as(
            "most messages reach the DLQ readable (their hand-backs spent), so the line does not say"
                + " unreadable, and one may be no S3 notification, so it does not say uploads: it says"
                + " what they lack and which commands come next")
        .contains(
            "dead-letter queue offhours-dlq: 4 (messages that got no result; why: 'offhours dlq"
                + " list', send them back: 'offhours dlq redrive')\n");
    assertThat(EndpointControlCommand.render(
            "start",
            "{\"at\":\"2026-12-06T11:17:51.090447506Z\",\"want\":\"ON\",\"wantReason\":\"manual"
                + " start until 2026-12-06 18:00 Europe/Berlin\",\"endpoint\":\"IN_SERVICE\","
                + "\"mapping\":\"ENABLED\",\"visible\":0,\"inFlight\":2,\"delayed\":0,\"dlq\":0,"
                + "\"action\":\"NONE\",\"why\":\"serving\",\"outcome\":\"ok\"}",
            ZoneId.of("Europe/Berlin")))
        .as("the states as 'endpoint status' names them, not as the controller records them, and"
            + " its instants in the stack's zone at the minute, not in UTC with nanoseconds")
        .isEqualTo("controller (start): wants the endpoint ON (manual start until 2026-12-06 18:00"
            + " Europe/Berlin)\n  at 2026-12-06 12:17 Europe/Berlin it saw: endpoint InService,"
            + " classify mapping Enabled, queue 0 waiting, 2 in flight, 0 delayed, dead-letter"
            + " queue 0\n  step: none, nothing to do (NONE: serving) [ok]\n  next run: the next"
            + " schedule tick or endpoint state change (this run asked for no earlier run)\n");
    assertThat(EndpointControlCommand.render(
            "stop",
            "{\"want\":\"OFF\",\"endpoint\":\"SLEEPING\",\"mapping\":\"Disabled\","
                + "\"action\":\"HIBERNATE\",\"why\":\"IN_SERVICE\\u001b]0;x\",\"outcome\":\"ok\"}",
            ZoneId.of("Europe/Berlin")))
        .as("a state or step this version does not know as the controller gave it, escaped")
        .startsWith(
            "controller (stop): wants the endpoint OFF (no reason given)\n  it saw: endpoint"
                + " SLEEPING, classify mapping Disabled, queue ? waiting")
        .contains("\n  step: HIBERNATE: IN_SERVICE\\x1b]0;x [ok]\n");
    assertThat(EndpointControlCommand.render(
            "stop", "{\"endpoint\":\"\\u001b[2Jgone\",\"note\":\"x\"}", ZoneId.of("Europe/Berlin")))
        .as("an answer that is no decision as its keys, escaped")
        .isEqualTo("controller (stop):\n  endpoint: \\x1b[2Jgone\n  note: x\n");
  }

  @Test
  void everyEndpointAndMappingStateHasTheWordAwsUsesForIt() {
    assertThat(java.util.Arrays.stream(offhours.endpoint.Endpoint.State.values())
            .map(offhours.endpoint.Endpoint.State::shown))
        .containsExactly("absent", "Creating", "InService", "Updating", "Deleting", "Failed");
    assertThat(java.util.Arrays.stream(offhours.endpoint.Mapping.TriggerState.values())
            .map(offhours.endpoint.Mapping.TriggerState::shown))
        .containsExactly(
            "absent",
            "Creating",
            "Enabling",
            "Enabled",
            "Disabling",
            "Disabled",
            "Updating",
            "Deleting");
  }

  @Test
  void commandsPlugInThroughTheRegistryList() {
    Command hello = new Command() {
      public String name() {
        return "hello";
      }

      public String summary() {
        return "say hello";
      }

      public List<Option> options() {
        return List.of(Option.value("to", "WHO", "whom to greet"));
      }

      public int run(Invocation call) {
        call.out().println("hello " + call.args().value("to").orElse("world"));
        return 0;
      }
    };
    List<Command> commands = new ArrayList<>(Commands.all());
    commands.add(Command.group("greet", "greetings", List.of(hello)));
    CliRun run =
        CliRun.run(cache, CliRun.CLOCK, () -> null, commands, "greet", "hello", "--to=you");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("hello you\n");
    assertThat(CliRun.run(cache, CliRun.CLOCK, () -> null, commands, "--help").out())
        .contains("  greet ");
  }

  /** A pasted page as a command, an operand or an option: its start and its length, escaped, not the whole page. */
  @Test
  void aLongWordIsQuotedByItsStartAndItsLength() {
    String page = "\u001b" + "x".repeat(4999);
    String start = "\\x1b" + "x".repeat(59) + "... (5000 characters)";
    assertThat(run(page).err())
        .startsWith("offhours: unknown command '" + start + "' for 'offhours'");
    assertThat(run("results", "--" + page).err())
        .startsWith(
            "offhours: unknown option --" + "\\x1b" + "x".repeat(57) + "... (5002 characters)");
    assertThat(run("local", "status", page).err())
        .startsWith("offhours: unexpected argument '" + start + "' for 'offhours local status'");
  }

  @Test
  void theCacheDirectoryComesFromTheEnvironment() {
    assertThat(
            Context.cacheDir(Map.of("OFFHOURS_CACHE", "/c", "XDG_CACHE_HOME", "/x", "HOME", "/h")))
        .isEqualTo(Path.of("/c"));
    assertThat(Context.cacheDir(Map.of("XDG_CACHE_HOME", "/x", "HOME", "/h")))
        .isEqualTo(Path.of("/x/offhours"));
    assertThat(Context.cacheDir(Map.of("HOME", "/h"))).isEqualTo(Path.of("/h/.cache/offhours"));
  }

  @Test
  void aBlankOffhoursCacheIsAFailureNamingItAndARelativeOneIsMadeAbsolute() {
    assertThatThrownBy(() -> Context.cacheDir(Map.of("OFFHOURS_CACHE", " ", "HOME", "/h")))
        .isInstanceOfSatisfying(
            CliException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
        .hasMessageStartingWith("OFFHOURS_CACHE is set but blank");
    assertThatThrownBy(() -> Context.of(System.out, System.err, Map.of("OFFHOURS_CACHE", ""), false)
            .cacheDir())
        .isInstanceOf(CliException.class)
        .hasMessageStartingWith("OFFHOURS_CACHE is set but empty");
    assertThat(Context.cacheDir(Map.of("OFFHOURS_CACHE", "c", "HOME", "/h")))
        .isEqualTo(Path.of("").toAbsolutePath().resolve("c"));
  }

  /**
   * A blank OFFHOURS_CACHE fails the commands that use the cache, as any command's failure is, and no other: help and
   * a deployed stack's commands never read it.
   */
  @Test
  void aBlankOffhoursCacheFailsOnlyTheCommandsThatUseTheCache() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Main main = new Main(
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        Map.of("OFFHOURS_CACHE", ""));
    assertThat(main.run("--help")).isZero();
    assertThat(main.run("local", "status", "--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("local");
    assertThat(main.run("local", "status")).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("offhours: OFFHOURS_CACHE is set but empty; ");
  }

  /**
   * The 'local run' that 'local start' runs in the background fails in the words of 'local start', which the user ran
   * and whose failure shows that line; run by hand, it names itself.
   */
  @Test
  void theLocalRunOfALocalStartFailsInTheWordsOfLocalStart() {
    Command run = new Command() {
      public String name() {
        return "run";
      }

      public String summary() {
        return "fails";
      }

      public int run(Invocation call) throws IOException {
        throw new IOException("moto_server did not start");
      }
    };
    List<Command> local = List.of(Command.group("local", "the local stack", List.of(run)));
    for (Map<String, String> env : List.of(
        Map.of(StackProcess.STARTED_BY_LOCAL_START, "1", "OFFHOURS_CACHE", cache.toString()),
        Map.of("OFFHOURS_CACHE", cache.toString()))) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Main main = new Main(
          Context.of(
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8),
              env,
              false),
          local);

      assertThat(main.run("local", "run")).isEqualTo(1);
      assertThat(err.toString(StandardCharsets.UTF_8))
          .isEqualTo("offhours: local "
              + (env.containsKey(StackProcess.STARTED_BY_LOCAL_START) ? "start" : "run")
              + " failed: moto_server did not start\n");
    }
  }

  @Test
  void aBugInACommandIsReportedAsAnInternalErrorWithoutAStackTrace() {
    Command boom = new Command() {
      public String name() {
        return "boom";
      }

      public String summary() {
        return "fails";
      }

      public int run(Invocation call) {
        throw new IllegalStateException("broken invariant");
      }
    };
    CliRun run = CliRun.run(cache, CliRun.CLOCK, () -> null, List.of(boom), "boom");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo(
            "offhours: internal error in 'offhours boom': java.lang.IllegalStateException:"
                + " broken invariant (set OFFHOURS_DEBUG=1 for the stack trace, and please report it)\n");
  }
}
