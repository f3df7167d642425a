package offhours.chaos;

// Needs: moto_server, node/npm the first time the default model is converted into the user's cache
// (which the run's own cache links to), and Maven when the driver is not built yet (scripts/chaos
// builds it then; inside 'mvn verify' the build has).

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import offhours.testing.TestCaches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's chaos run, at CI's size: scripts/chaos with 200 uploads while every kind of fault hits the local stack.
 * It exits 0 only when the settled pipeline lost nothing, doubled nothing and put no valid image in the DLQ; the table
 * says so, and shows that every kind of fault really happened.
 */
class ChaosScriptIT {

  @Test
  void twoHundredUploadsUnderFaultsLoseNothingDoubleNothingAndPutNoValidImageInTheDlq(
      @TempDir Path dir) throws Exception {
    // A cache of its own, sharing the user's default model: the run's logs land there.
    Path cache = TestCaches.sharingTheDefaultModel(dir);
    ProcessBuilder run = new ProcessBuilder("scripts/chaos", "--uploads", "200", "--seed", "1")
        .redirectErrorStream(true);
    run.environment().put("OFFHOURS_CACHE", cache.toString());
    // Its temporary files go to a TMPDIR of its own, as to /tmp; nothing may be left in it after.
    Path tmp = Files.createDirectory(dir.resolve("tmp"));
    run.environment().put("TMPDIR", tmp.toString());
    Process chaos = run.start();
    // Read on a thread of its own, so the 20 minutes bound a hung run too (every wait inside the
    // run has its own bound and names what it did not see).
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    Thread reader = Thread.ofPlatform().start(() -> {
      try (var in = chaos.getInputStream()) {
        in.transferTo(read);
      } catch (IOException e) {
        // the process was destroyed: what was read is the output
      }
    });
    boolean finished = chaos.waitFor(20, TimeUnit.MINUTES);
    if (!finished) {
      chaos.descendants().forEach(ProcessHandle::destroyForcibly);
      chaos.destroyForcibly();
    }
    reader.join(Duration.ofMinutes(1));
    String output = read.toString(StandardCharsets.UTF_8);
    System.out.println(output); // the run's log and table, kept in the failsafe report
    assertThat(finished)
        .as("scripts/chaos finished within 20 minutes; its output:%n%s", output)
        .isTrue();
    assertThat(chaos.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("| measure | value |")
        .containsPattern("\\| uploads \\| 200 \\(")
        .contains("| missing | 0 |")
        .contains("| duplicate results | 0 |")
        .contains("| valid images in the DLQ | 0 |")
        .contains("| settled | yes |")
        .contains("chaos: nothing lost, nothing doubled, no valid image in the DLQ");
    try (var left = Files.list(tmp)) {
      assertThat(left.toList())
          .as("what the run left in its TMPDIR (its JVM's own directory, ONNX Runtime's library)")
          .isEmpty();
    }
    Matcher cycles = Pattern.compile(
            "\\| endpoint starts / stops \\| (\\d+) / (\\d+) \\(manual: \\d+ stops, (\\d+) during"
                + " a drain")
        .matcher(output);
    assertThat(cycles.find()).as(output).isTrue();
    assertThat(Integer.parseInt(cycles.group(1))).as("starts").isGreaterThanOrEqualTo(10);
    assertThat(Integer.parseInt(cycles.group(2))).as("stops").isGreaterThanOrEqualTo(10);
    assertThat(Integer.parseInt(cycles.group(3))).as("stops during a drain").isPositive();
    // Each count is of what happened, as the services saw it (a crash that killed a container, an
    // injected error answered, a cut-off that ended a running handler), not of what was asked.
    assertThat(output)
        .containsPattern(
            "\\| model faults \\| [1-9]\\d* container crashes \\(.*\\), [1-9]\\d* bursts"
                + " \\([1-9]\\d* 5xx/throttling answers of ")
        .containsPattern("\\| Classify invocations cut off mid-batch \\| [1-9]\\d* \\(of ")
        .containsPattern(
            "\\| controller faults \\| [1-9]\\d* overlapping pairs .*, [1-9]\\d* runs died after");
    Matcher log = Pattern.compile("the functions' log: (\\S+)").matcher(output);
    assertThat(log.find()).as(output).isTrue();
    assertThat(Path.of(log.group(1))).isEqualTo(cache.resolve("local/logs/chaos-functions.log"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(log.group(1)))))
        .as("the functions' log, a file under the cache directory (README: files 0600)")
        .isEqualTo("rw-------");
  }
}
