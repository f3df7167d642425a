package offhours.bench;

// Needs: moto_server and Maven (scripts/bench builds the function packages itself).

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's bench command runs and prints its table. Only the package-size lines are run here: the full
 * bench takes minutes and measures time, which a test must not judge; its output is in the README.
 */
class BenchScriptIT {

  @Test
  void benchPrintsThePackageSizeLinesAgainstTheirLimits() throws Exception {
    Process bench = new ProcessBuilder("scripts/bench", "--only", "packages").redirectErrorStream(true).start();
    String output = new String(bench.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bench.waitFor(5, TimeUnit.MINUTES)).as("scripts/bench finished").isTrue();
    assertThat(bench.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("| measurement | value | limit (same run) | ratio | target | met |")
        .containsPattern("\\| package classify\\.zip \\(Classify\\), zipped \\| [0-9.]+ MB \\| 12 MB .*\\| yes \\|")
        .contains("package controller.zip");
  }
}
