package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The controller's zone that {@code local start|run} and {@code demo} give the local stack. */
class LocalCommandTest {

  private static final ZoneId GMT = ZoneId.of("GMT");

  @TempDir
  Path cache;

  @Test
  void theFlagsZoneIsTheControllersAndWinsOverTz() {
    assertThat(timeZone(Map.of("time-zone", "Europe/Berlin"), clock("Pacific/Kiritimati", "")))
        .isEqualTo("Europe/Berlin");
    assertThat(timeZone(Map.of("time-zone", "Europe/Berlin"), clock("GMT", "Europe/Pariss")))
        .as("a TZ the JDK misread does not matter when the flag names the zone")
        .isEqualTo("Europe/Berlin");
  }

  @Test
  void withoutTheFlagTheControllersZoneIsTzs() {
    assertThat(timeZone(Map.of(), clock("Pacific/Kiritimati", "Pacific/Kiritimati")))
        .isEqualTo("Pacific/Kiritimati");
    assertThat(timeZone(Map.of(), clock("GMT", "UTC0")))
        .as("POSIX's UTC0, which the JDK reads as GMT")
        .isEqualTo("UTC");
    assertThatThrownBy(() -> timeZone(Map.of(), clock("GMT", "Europe/Pariss")))
        .isInstanceOfSatisfying(
            CliException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
        .hasMessageStartingWith("TZ is 'Europe/Pariss', which is no time zone Java knows")
        .hasMessageEndingWith("; local start and demo also take --time-zone Europe/Paris");
  }

  @Test
  void aFlagThatNamesNoZoneIsAUsageErrorOfEachCommandThatStartsAStack() {
    for (List<String> command :
        List.of(List.of("local", "start"), List.of("local", "run"), List.of("demo"))) {
      List<String> args = new java.util.ArrayList<>(command);
      args.addAll(List.of("--time-zone", "Europe/Pariss"));

      CliRun run = CliRun.run(
          cache, Clock.system(GMT), () -> null, Commands.all(), args.toArray(String[]::new));

      assertThat(run.exitCode()).as("%s", command).isEqualTo(2);
      assertThat(run.err())
          .isEqualTo("offhours: --time-zone needs an IANA zone such as Europe/Berlin, got"
              + " 'Europe/Pariss'; see 'offhours " + String.join(" ", command) + " --help'\n");
    }
  }

  @Test
  void theHelpOfEachCommandThatStartsAStackNamesTheFlag() {
    for (String[] command : List.of(
        new String[] {"local", "start", "--help"},
        new String[] {"local", "run", "--help"},
        new String[] {"demo", "--help"})) {
      CliRun run = CliRun.run(cache, Clock.system(GMT), () -> null, Commands.all(), command);

      assertThat(run.out()).contains("--time-zone ZONE", "IANA zone such as Europe/Berlin");
    }
  }

  /** The TIME_ZONE the local stack's controller would be given. */
  private String timeZone(Map<String, String> flags, Clock clock) {
    PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
    Context context = new Context(nowhere, nowhere, Map.of(), cache, false, clock, () -> {
      throw new AssertionError("no AWS clients in this test");
    });
    Invocation call = new Invocation(new Arguments(List.of(), flags), context);
    return LocalCommand.settings(call).controller().get("TIME_ZONE");
  }

  /** The clock of a command started with {@code tz} as TZ, which the JDK read as {@code jdkZone}. */
  private static Clock clock(String jdkZone, String tz) {
    return UserZone.clock(
        tz.isEmpty() ? Map.of() : Map.of("TZ", tz), Clock.system(ZoneId.of(jdkZone)));
  }
}
