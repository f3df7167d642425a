package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import offhours.local.StateFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/offhours} as a user's shell runs it, in its own JVM: it builds the project if needed and checks TZ
 * before a local stack starts. Needs Maven; no AWS services.
 */
class WrapperScriptIT {

  @TempDir
  Path cache;

  @Test
  void theWrapperScriptRunsTheCli() throws Exception {
    Process process = new ProcessBuilder("scripts/offhours", "--help")
        .redirectErrorStream(true)
        .start();
    boolean finished = process.waitFor(5, TimeUnit.MINUTES);
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(finished).as("scripts/offhours --help finished").isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("usage: offhours COMMAND [OPTIONS]", "  upload ", "  results ");
  }

  @Test
  void aTzThatNamesNoZoneIsRefusedBeforeTheLocalStackStartsInGmt() throws Exception {
    // The JDK reads TZ=Europe/Pariss as GMT without a word; local start would record GMT as its
    // controller's TIME_ZONE and keep the working hours there.
    // A model that does not exist as well: where TZ were not checked first, nothing would start.
    Started pariss = localStart("Europe/Pariss");

    assertThat(pariss.exitCode()).isEqualTo(1);
    assertThat(pariss.err())
        .isEqualTo("offhours: TZ is 'Europe/Pariss', which is no time zone Java knows, so Java"
            + " would read it as GMT: the times of day this command reads or shows would be in GMT, as would"
            + " the working hours of a local stack started so; set TZ to an IANA zone such"
            + " as Europe/Paris or unset it to use this machine's zone; local start and demo also"
            + " take --time-zone Europe/Paris\n");
    assertThat(StateFile.path(cache.resolve("fresh"))).as("no stack started").doesNotExist();
    // The JDK reads TZ=GMT+1 as GMT+01:00, where POSIX (and the shell's date) reads GMT-01:00.
    Started posixOffset = localStart("GMT+1");
    assertThat(posixOffset.exitCode()).isEqualTo(1);
    assertThat(posixOffset.err())
        .startsWith(
            "offhours: TZ is 'GMT+1', which Java reads as the fixed offset GMT+01:00 all year");
  }

  @Test
  void posixsUtc0IsUtcAndTheFlagWinsOverAnyTzButMustNameAZone() throws Exception {
    String noModel = "offhours: model file '" + cache.resolve("none.onnx")
        + "' does not exist; give the path of an ONNX model; see 'offhours local start --help'\n";
    // Past the zone, each stops at the model that does not exist: no stack starts.
    Started utc0 = localStart("UTC0");
    assertThat(utc0.err()).as("TZ=UTC0 is UTC").isEqualTo(noModel);
    Started flag = localStart("Europe/Pariss", "--time-zone", "Europe/Berlin");
    assertThat(flag.err()).as("--time-zone over a TZ Java misreads").isEqualTo(noModel);

    Started badFlag = localStart("Europe/Berlin", "--time-zone", "CET-1CEST");

    assertThat(badFlag.exitCode()).isEqualTo(2);
    assertThat(badFlag.err())
        .isEqualTo("offhours: --time-zone needs an IANA zone such as Europe/Berlin, got"
            + " 'CET-1CEST'; see 'offhours local start --help'\n");
    assertThat(StateFile.path(cache.resolve("fresh"))).as("no stack started").doesNotExist();
  }

  private record Started(int exitCode, String err) {}

  /** {@code scripts/offhours local start} with TZ and a model that does not exist, as a user's shell runs it. */
  private Started localStart(String tz, String... flags) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        "scripts/offhours",
        "local",
        "start",
        "--model",
        cache.resolve("none.onnx").toString()));
    command.addAll(List.of(flags));
    ProcessBuilder start = new ProcessBuilder(command)
        .redirectOutput(cache.resolve("out").toFile())
        .redirectError(cache.resolve("err").toFile());
    start.environment().put("TZ", tz);
    start.environment().put("OFFHOURS_CACHE", cache.resolve("fresh").toString());
    Process process = start.start();
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("local start finished").isTrue();
    // The first run of the script after a change to the sources builds them and says so.
    String err = Files.readString(cache.resolve("err"))
        .replaceFirst(
            "^offhours: building \\(first run, or the sources changed\\) \\.\\.\\.\n", "");
    return new Started(process.exitValue(), err);
  }
}
