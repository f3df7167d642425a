package offhours.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import offhours.aws.AwsClients;

/** Runs {@link Main} in-process and keeps what it printed. */
record CliRun(int exitCode, String out, String err) {

  /** 2026-11-25 15:00 in Berlin (14:00 UTC): the clock of offline command tests. */
  static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-25T14:00:00Z"), ZoneId.of("Europe/Berlin"));

  /** Runs every command with {@link #CLOCK} and without AWS clients: a command that asks for them fails the test. */
  static CliRun offline(Path cacheDir, String... args) {
    return run(
        cacheDir,
        CLOCK,
        () -> {
          throw new AssertionError("no AWS clients in an offline test");
        },
        Commands.all(),
        args);
  }

  /**
   * A command's call with {@code options} and no operands whose output goes nowhere, without AWS clients (a command
   * that asks for them fails the test): for tests that hand a command's parts a call rather than run it.
   */
  static Invocation quietCall(Path cacheDir, Clock clock, Map<String, String> options) {
    PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
    Context context = new Context(nowhere, nowhere, Map.of(), cacheDir, false, clock, () -> {
      throw new AssertionError("no AWS clients in this test");
    });
    return new Invocation(new Arguments(List.of(), options), context);
  }

  static CliRun run(
      Path cacheDir,
      Clock clock,
      Supplier<AwsClients> userClients,
      List<Command> commands,
      String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Context context = new Context(
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        Map.of(),
        cacheDir,
        false,
        clock,
        userClients);
    int code = new Main(context, commands).run(args);
    return new CliRun(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  List<String> outLines() {
    return out.lines().toList();
  }

  /** Each line of {@code run}'s output read as JSON, after checking it succeeded (the failure's message if not). */
  static List<JsonNode> jsonLinesOf(CliRun run) {
    if (run.exitCode != 0) {
      throw new AssertionError("exit code " + run.exitCode + ": " + run.err);
    }
    return run.jsonLines();
  }

  /** Each line of the output read as JSON; a line that is not JSON fails the test. */
  List<JsonNode> jsonLines() {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : outLines()) {
      try {
        lines.add(Json.MAPPER.readTree(line));
      } catch (IOException e) {
        throw new AssertionError("not a JSON line: " + line, e);
      }
    }
    return lines;
  }
}
