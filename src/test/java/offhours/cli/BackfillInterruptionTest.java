package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackfillInterruptionTest {

  private static final Path CHECKPOINT = Path.of("/cache/offhours/backfill/abc.checkpoint");

  @TempDir
  Path dir;

  /**
   * A JVM that watches like a backfill with 3 sends, says "watching" and waits to be stopped, or with "done" closes
   * the watch first and ends on its own.
   */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      AtomicLong sent = new AtomicLong(3);
      BackfillInterruption watch = BackfillInterruption.watch(System.err, sent::get, CHECKPOINT);
      if (args.length > 0 && args[0].equals("done")) {
        watch.close();
        return;
      }
      System.out.println("watching");
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  @Test
  void sigtermSaysHowManyWereSentAndThatTheSameCommandResumesAndExitsAsTheSignal()
      throws Exception {
    Process child = child();
    try (BufferedReader out = reader(child)) {
      assertThat(out.readLine()).isEqualTo("watching");
    }

    // SIGTERM (Process.destroy also closes the pipes, hence stderr in a file); Ctrl-C's SIGINT runs
    // the same shutdown hooks.
    child.destroy();

    assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child ended").isTrue();
    assertThat(child.exitValue()).isEqualTo(128 + 15);
    assertThat(Files.readString(dir.resolve("err")))
        .isEqualTo("offhours: backfill interrupted after 3 sends in this run; run the same command"
            + " again to resume after the checkpoint (" + CHECKPOINT
            + "), or add --restart to start over\n");
  }

  @Test
  void aRunThatEndsOnItsOwnSaysNothing() throws Exception {
    Process child = child("done");

    assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child ended").isTrue();
    assertThat(child.exitValue()).isZero();
    assertThat(dir.resolve("err")).isEmptyFile();
  }

  @Test
  void oneSendIsSingular() {
    assertThat(BackfillInterruption.message(1, CHECKPOINT))
        .startsWith("offhours: backfill interrupted after 1 send in this run;");
  }

  private Process child(String... args) throws Exception {
    var command = new java.util.ArrayList<>(java.util.List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "-cp",
        System.getProperty("java.class.path"),
        Child.class.getName()));
    command.addAll(java.util.List.of(args));
    return new ProcessBuilder(command)
        .redirectError(dir.resolve("err").toFile())
        .start();
  }

  private static BufferedReader reader(Process child) {
    return new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
  }
}
