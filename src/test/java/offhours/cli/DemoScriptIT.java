package offhours.cli;

// Needs: moto_server, Maven (scripts/demo builds the project if needed), node and npm the first
// time the default model is converted (into the user's cache, which the demo's own cache links to).

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import offhours.local.process.StackMark;
import offhours.results.RejectionHint;
import offhours.testing.TestCaches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, run as a new user runs it: scripts/demo on the photos kept in the repo. */
class DemoScriptIT {

  @Test
  void demoClassifiesTheBundledPhotosRejectsTheBadUploadsAndExitsZero(@TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("demo.out");
    Path err = dir.resolve("demo.err");
    ProcessBuilder pb =
        new ProcessBuilder("scripts/demo").redirectOutput(out.toFile()).redirectError(err.toFile());
    // A cache of its own, sharing the user's default model (converted once per machine): the
    // demo's logs land there, not in the user's cache.
    Path cache = TestCaches.sharingTheDefaultModel(dir.resolve("cache"));
    pb.environment().put("OFFHOURS_CACHE", cache.toString());
    // Every process the demo starts inherits this variable: afterwards none may be left.
    String marker = UUID.randomUUID().toString();
    pb.environment().put("OFFHOURS_TEST_MARKER", marker);
    // Its temporary files go to a TMPDIR of its own, as to /tmp; nothing may be left in it after.
    Path tmp = Files.createDirectory(dir.resolve("tmp"));
    pb.environment().put("TMPDIR", tmp.toString());
    Process demo = pb.start();
    boolean finished = demo.waitFor(10, TimeUnit.MINUTES);
    if (!finished) {
      demo.destroyForcibly();
    }
    String table = Files.readString(out, StandardCharsets.UTF_8);
    String progress = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(finished)
        .as("scripts/demo finished; its progress:%n%s", progress)
        .isTrue();
    assertThat(demo.exitValue())
        .as("exit status; progress:%n%s%ntable:%n%s", progress, table)
        .isZero();

    List<String> rows = table.lines().toList();
    assertThat(rows.getFirst()).startsWith("KEY").contains("LABEL", "SCORE", "STATUS", "REASON");
    assertThat(rows)
        .filteredOn(r -> r.startsWith("chelsea.png"))
        .singleElement()
        .asString()
        .contains("Neutral", "CLASSIFIED");
    assertThat(rows)
        .filteredOn(r -> r.startsWith("café au lait + 100%.png"))
        .singleElement()
        .asString()
        .contains("CLASSIFIED");
    assertThat(rows)
        .filteredOn(r -> r.startsWith("notes, not a photo.png"))
        .singleElement()
        .asString()
        .contains("REJECTED", "unsupported format");
    assertThat(rows)
        .filteredOn(r -> r.startsWith("truncated.jpg"))
        .singleElement()
        .asString()
        .contains("REJECTED", "could not read the image");
    assertThat(progress)
        .as("what to do about the REJECTED rows, below the table as results says it")
        .contains("what to do (1 result), " + RejectionHint.NOT_JPEG_OR_PNG.line() + "\n"
            + "what to do (1 result), " + RejectionHint.CUT_SHORT.line() + "\n"
            + "7 of 7 uploads have a result");
    assertThat(progress)
        .contains("endpoint offhours-endpoint is off", "7 of 7 uploads have a result")
        // The times say what they count from: the wait for results, apart from the stack's start.
        .containsPattern("(?m)^first result \\d+\\.\\d s after the uploads began$")
        .containsPattern(
            "have a result \\(5 classified, 2 rejected\\) \\d+\\.\\d s after the uploads"
                + " began; the local stack took \\d+\\.\\d s to start")
        .contains("function logs (what CloudWatch would show): "
            + cache.resolve("local/logs/demo-functions.log"));
    assertThat(processesMarkedWith(marker))
        .as("processes the demo left running (moto_server, containers)")
        .isEmpty();
    try (var left = Files.list(tmp)) {
      assertThat(left.toList()).as("what the demo left in its TMPDIR").isEmpty();
    }
  }

  /** Live processes whose environment holds the marker (Linux: /proc/PID/environ). */
  private static List<String> processesMarkedWith(String marker) {
    return StackMark.carrying("OFFHOURS_TEST_MARKER", marker).stream()
        .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
        .toList();
  }
}
