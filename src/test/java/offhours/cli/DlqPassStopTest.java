package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * A pass over a DLQ on {@link FakeDlq} that the JVM ends (Ctrl-C, SIGTERM): what it lets go, what its handler had
 * done, and that a move starts nothing after; through {@link DlqPass#letGo} in place of the hook, or a child JVM.
 */
class DlqPassStopTest {

  /** A dead-letter queue of {@code count} messages, "body 0" on, received 10 at a time. */
  private static FakeDlq bodies(int count) {
    FakeDlq sqs = new FakeDlq(10, 100);
    for (int i = 0; i < count; i++) {
      sqs.add("body " + i);
    }
    return sqs;
  }

  /** A pass over {@code sqs} that says on {@code err} what it let go when it is ended. */
  private static DlqPass pass(FakeDlq sqs, ByteArrayOutputStream err) {
    return new DlqPass(
        sqs, FakeDlq.URL, sqs.clock(), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  /**
   * Ctrl-C or SIGTERM mid-pass: the JVM's shutdown hook runs {@link DlqPass#letGo} (called here from the handler, in
   * its place). Every message the pass holds is visible again at once, where it stayed hidden for the rest of the hide
   * period, stderr says how many, and the pass ends after the page at hand.
   */
  @Test
  void aPassTheJvmEndsMakesWhatItHoldsVisibleAgainAtOnceAndSaysSo() {
    FakeDlq sqs = bodies(30);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    DlqPass pass = pass(sqs, err);
    int[] handled = {0};
    long[] visibleAfterLetGo = {-1};

    DlqPass.PassReport report = pass.run(
        m -> {
          if (++handled[0] == 15) {
            pass.letGo();
            visibleAfterLetGo[0] = sqs.visible();
          }
          return false;
        },
        new DlqPass.StartCounts(30, 0));

    assertThat(visibleAfterLetGo[0])
        .as("visible again at once, not after the hide period")
        .isEqualTo(30);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "offhours: stopped; 20 messages it held are visible again in the dead-letter queue\n");
    assertThat(handled[0])
        .as("the page at hand is handed over, no further receive")
        .isEqualTo(20);
    assertThat(sqs.receiveCalls()).isEqualTo(2);
    assertThat(report.complete()).isFalse();
    assertThat(report.warnings().get(0)).contains("(the command was stopped)");
    assertThat(sqs.visible()).isEqualTo(30);
  }

  @Test
  void aMessageSqsWouldNotMakeVisibleWhenThePassIsEndedIsCountedApart() {
    FakeDlq sqs = bodies(5);
    sqs.failVisibilityFor.add("m-00002#1");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    DlqPass pass = pass(sqs, err);

    pass.run(
        m -> {
          pass.letGo();
          return false;
        },
        new DlqPass.StartCounts(5, 0));

    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "offhours: stopped; 4 of the 5 messages it held are visible again in the dead-letter"
                + " queue; 1 could not be made visible now, and show again when their hide period ends\n");
    assertThat(sqs.visible()).isEqualTo(4);
  }

  /** A JVM whose pass over 30 messages holds the first two pages, says "holding" and waits to be stopped. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      FakeDlq sqs = bodies(30);
      int[] handled = {0};
      new DlqPass(sqs, FakeDlq.URL, sqs.clock(), System.err)
          .run(
              m -> {
                if (++handled[0] == 15) {
                  System.out.println("holding");
                  System.out.flush();
                  try {
                    Thread.sleep(Long.MAX_VALUE);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }
                return false;
              },
              new DlqPass.StartCounts(30, 0));
    }
  }

  /** The same through a real signal: the pass's shutdown hook lets go, then the JVM exits as SIGTERM has it. */
  @Test
  void sigtermMidPassLetsGoOfWhatThePassHoldsAndExitsAsTheSignal(@TempDir Path dir)
      throws Exception {
    Process child = ChildJvm.start(Child.class, dir.resolve("err"));

    assertThat(ChildJvm.stopOnceItSays(child, "holding", dir.resolve("err")))
        .isEqualTo(
            "offhours: stopped; 20 messages it held are visible again in the dead-letter queue\n");
  }

  /** A pass the JVM ends says what its handler had done ({@link DlqPass.Handler#done}) after what it let go. */
  @Test
  void aPassTheJvmEndsSaysWhatItsHandlerHadDone() {
    FakeDlq sqs = bodies(30);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    DlqPass pass = pass(sqs, err);
    int[] handled = {0};

    pass.run(
        new DlqPass.Handler() {
          @Override
          public boolean handle(Message m) {
            if (++handled[0] == 15) {
              pass.letGo();
            }
            return handled[0] % 2 == 0;
          }

          @Override
          public String done() {
            return "handled " + handled[0];
          }
        },
        new DlqPass.StartCounts(30, 0));

    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "offhours: stopped; 13 messages it held are visible again in the dead-letter queue;"
                + " handled 15\n");
  }

  /**
   * A JVM whose selective move of 30 messages (every third one, "cat") stops: at the 15th message it looks at
   * ({@code select}), or once it has sent "cat 12" and before it deletes it ({@code send}); it says "holding" and waits
   * to be stopped.
   */
  public static final class MoveChild {
    public static void main(String[] args) throws Exception {
      FakeDlq sqs = new FakeDlq(10, 100);
      for (int i = 0; i < 30; i++) {
        sqs.add((i % 3 == 0 ? "cat " : "dog ") + i);
      }
      int[] looked = {0};
      if (args[0].equals("send")) {
        sqs.afterSend = body -> {
          if (body.equals("cat 12")) {
            hold();
          }
        };
      }
      new DeadLetterQueue(sqs, FakeDlq.URL, Map.of(), sqs.clock(), System.err)
          .move(
              "https://sqs.eu-west-1.amazonaws.com/123456789012/offhours-queue",
              l -> {
                if (++looked[0] == 15 && args[0].equals("select")) {
                  hold();
                }
                return l.body().startsWith("cat ");
              },
              new DlqPass.StartCounts(30, 0));
    }

    static void hold() {
      System.out.println("holding");
      System.out.flush();
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * A selective redrive stopped by SIGTERM says how many messages it had moved to the queue before the stop, beside
   * those it let go; of a message it was moving at the signal, that it may be in either queue or both.
   */
  @Test
  void sigtermMidMoveSaysHowManyMessagesHadBeenMoved(@TempDir Path dir) throws Exception {
    assertThat(stopped(MoveChild.class, dir, "select"))
        .isEqualTo(
            "offhours: stopped; 15 messages it held are visible again in the dead-letter queue;"
                + " 5 messages had been moved to the queue before the stop\n");
    assertThat(stopped(MoveChild.class, dir, "send"))
        .isEqualTo(
            "offhours: stopped; 16 messages it held are visible again in the dead-letter queue;"
                + " 4 messages had been moved to the queue before the stop (m-00012, which it was moving then,"
                + " may be in the queue, in the dead-letter queue, or in both)\n");
  }

  /**
   * A JVM whose move of 30 messages is stopped at the 15th it looks at, which it goes on to move once the stop line is
   * said, as the pass's thread does while the JVM's hook runs; the stop line waits until it looked at the 16th.
   */
  public static final class LateMoveChild {
    public static void main(String[] args) throws Exception {
      FakeDlq sqs = new FakeDlq(10, 100);
      for (int i = 0; i < 30; i++) {
        sqs.add("cat " + i);
      }
      CountDownLatch said = new CountDownLatch(1);
      CountDownLatch looked = new CountDownLatch(1);
      PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8) {
        @Override
        public void println(String line) {
          super.println(line);
          said.countDown();
          await(looked);
        }
      };
      sqs.afterSend = body -> System.err.println("sent " + body);
      int[] seen = {0};
      new DeadLetterQueue(sqs, FakeDlq.URL, Map.of(), sqs.clock(), err)
          .move(
              "https://sqs.eu-west-1.amazonaws.com/123456789012/offhours-queue",
              l -> {
                if (++seen[0] == 15) {
                  System.out.println("holding");
                  System.out.flush();
                  await(said);
                } else if (seen[0] == 16) {
                  looked.countDown();
                  MoveChild.hold();
                }
                return true;
              },
              new DlqPass.StartCounts(30, 0));
    }

    private static void await(CountDownLatch latch) {
      try {
        latch.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Once the stop line is said, the move starts no other: the pass's thread runs on while the JVM's hook runs, and a
   * message it moved then would be counted neither as moved nor as the one it was moving.
   */
  @Test
  void aMoveStartsNoMessageOnceTheStopLineIsSaid(@TempDir Path dir) throws Exception {
    assertThat(stopped(LateMoveChild.class, dir, "late"))
        .endsWith("sent cat 13\n"
            + "offhours: stopped; 6 messages it held are visible again in the dead-letter queue;"
            + " 14 messages had been moved to the queue before the stop\n");
  }

  /** Starts {@code main} with {@code args}, stops it with SIGTERM once it says "holding"; what it wrote to stderr. */
  private static String stopped(Class<?> main, Path dir, String... args) throws Exception {
    Path err = dir.resolve("err-" + String.join("-", args));
    return ChildJvm.stopOnceItSays(ChildJvm.start(main, err, args), "holding", err);
  }
}
