package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackfillInterruptionTest {

  private static final Path CHECKPOINT = Path.of("/cache/offhours/backfill/abc.checkpoint");

  @TempDir
  Path dir;

  private final List<BackfillInterruption> watches = new ArrayList<>();

  @AfterEach
  void noHookOutlivesItsTest() {
    watches.forEach(BackfillInterruption::close);
  }

  /**
   * A JVM that watches like a backfill with 3 sends, says "watching" and waits to be stopped, or with "done" closes
   * the watch first and ends on its own.
   */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      BackfillInterruption watch = BackfillInterruption.watch(
          System.err,
          () -> new BackfillRun.Standing(3, BackfillRun.Stage.CHECKPOINTED),
          CHECKPOINT);
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
    assertThat(ChildJvm.stopOnceItSays(child(), "watching", dir.resolve("err")))
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
    assertThat(BackfillInterruption.message(
            new BackfillRun.Standing(1, BackfillRun.Stage.CHECKPOINTED), CHECKPOINT))
        .startsWith("offhours: backfill interrupted after 1 send in this run;");
  }

  @Test
  void aNoticeOnceTheListingReachedItsEndSaysThereIsNothingToResume() throws Exception {
    Backfill backfill = new Backfill(List.of("a.png", "b.png"));

    assertThat(backfill.run.through()).as("the listing reached its end").isTrue();
    backfill.watch.report(); // a signal between the end of the listing and the summary

    assertThat(backfill.err())
        .isEqualTo("offhours: backfill interrupted after the listing reached its end, with 2 sends"
            + " in this run: nothing to resume (its checkpoint is removed)\n");
    assertThat(backfill.checkpoint.file()).doesNotExist();
  }

  @Test
  void aNoticeDuringTheListingSaysToResumeAfterTheCheckpointWhichStaysSo() throws Exception {
    Backfill backfill = new Backfill(List.of("a.png", "b.png", "c.png"));
    // The signal lands while b.png is sent: a.png is sent and checkpointed.
    backfill.clients.onSend = key -> {
      if (key.equals("b.png")) {
        backfill.watch.report();
      }
    };

    assertThat(backfill.run.through()).isTrue();

    assertThat(backfill.err())
        .isEqualTo("offhours: backfill interrupted after 1 send in this run; run the same command"
            + " again to resume after the checkpoint (" + backfill.checkpoint.file()
            + "), or add --restart to start over\n");
    assertThat(backfill.checkpoint.after())
        .as("the run went on to the end of the listing until the JVM halted, and left the"
            + " checkpoint the notice named")
        .contains("a.png");
  }

  @Test
  void aNoticeBeforeTheFirstCheckpointSaysTheNextRunStartsFromTheBeginning() throws Exception {
    Backfill backfill = new Backfill(List.of("a.png"));
    backfill.clients.onSend = key -> backfill.watch.report();

    backfill.run.through();

    assertThat(backfill.err())
        .isEqualTo("offhours: backfill interrupted after 0 sends in this run, before its first"
            + " checkpoint; run the same command again to start from the beginning (objects with a"
            + " result are skipped)\n");
    assertThat(backfill.checkpoint.after())
        .as("nothing written after the notice")
        .isEmpty();
  }

  /**
   * A backfill of {@code keys} (one page, none with a result) and its interruption notice, whose line goes to
   * {@link #err()}; its clients' {@link FakeBackfillClients#onSend} runs as each notification is sent.
   */
  private final class Backfill {
    final BackfillCheckpoint checkpoint = BackfillCheckpoint.of(dir, "the local stack", "b", "");
    final FakeBackfillClients clients;
    final BackfillRun run;
    final BackfillInterruption watch;
    final ByteArrayOutputStream notice = new ByteArrayOutputStream();

    Backfill(List<String> keys) throws IOException {
      clients = new FakeBackfillClients(keys);
      run = clients.run(
          TestTargets.local(Map.of()), "b", "queue", "results", checkpoint, checkpoint.after());
      watch = BackfillInterruption.watch(
          new PrintStream(notice, true, StandardCharsets.UTF_8), run::notice, checkpoint.file());
      watches.add(watch);
    }

    String err() {
      return notice.toString(StandardCharsets.UTF_8);
    }
  }

  private Process child(String... args) throws Exception {
    return ChildJvm.start(Child.class, dir.resolve("err"), args);
  }
}
