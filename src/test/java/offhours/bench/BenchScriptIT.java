package offhours.bench;

// Needs: moto_server and Maven (scripts/bench builds the function packages itself).

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's bench commands (scripts/bench, scripts/bench --quick) run and print their table. Only the package-size
 * lines are run here: the full bench takes minutes and measures time, which a test must not judge; its output is in
 * the README.
 */
class BenchScriptIT {

  @Test
  void benchPrintsThePackageSizeLinesAgainstTheirLimits(@TempDir Path tmp) throws Exception {
    // --quick as the README shows it; --only packages, as the timed lines take minutes.
    ProcessBuilder run = new ProcessBuilder("scripts/bench", "--quick", "--only", "packages")
        .redirectErrorStream(true);
    // Its temporary files go to a TMPDIR of its own, as to /tmp; nothing may be left in it after.
    run.environment().put("TMPDIR", tmp.toString());
    Process bench = run.start();
    String output = new String(bench.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bench.waitFor(5, TimeUnit.MINUTES)).as("scripts/bench finished").isTrue();
    assertThat(bench.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("offhours bench --quick, ")
        .contains("| measurement | value | limit (same run) | ratio | target | met |")
        .containsPattern(
            "\\| package classify\\.zip \\(Classify\\), zipped \\| [0-9.]+ MB \\| 12 MB .*\\| yes \\|")
        .containsPattern(
            "\\| package controller\\.zip \\(Controller \\+ EndpointCleanup \\+ LiveVersions\\),"
                + " zipped \\| [0-9.]+ MB \\| 50 MB \\(Lambda\\) .*\\| yes \\|")
        .containsPattern(
            "\\| package api\\.zip \\(Api\\), zipped \\| [0-9.]+ MB \\| 50 MB \\(Lambda\\) .*\\| yes \\|")
        .contains("| package api.zip, unzipped |");
    try (var left = Files.list(tmp)) {
      assertThat(left.toList()).as("what the bench left in its TMPDIR").isEmpty();
    }
  }
}
