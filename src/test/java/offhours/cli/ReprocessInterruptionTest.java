package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import offhours.results.ResultItem;
import offhours.results.ResultItem.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * A reprocess stopped by Ctrl-C or SIGTERM says how many of its selection it had sent. Before, it sent everything
 * before it printed a line, and an interrupted run exited 130 with nothing said, the queue holding an unknown part.
 */
class ReprocessInterruptionTest {

  @TempDir
  Path dir;

  /** A JVM that watches like a reprocess that selected 25 and sent 10, says "watching" and waits to be stopped. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      ReprocessInterruption watch = ReprocessInterruption.watch(System.err);
      if (args.length > 0 && args[0].equals("done")) {
        watch.close();
        return;
      }
      watch.selected(25);
      watch.sent(10);
      System.out.println("watching");
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  @Test
  void sigtermSaysHowManyOfTheSelectionWereSentAndExitsAsTheSignal() throws Exception {
    assertThat(ChildJvm.stopOnceItSays(child(), "watching", dir.resolve("err")))
        .isEqualTo(
            "offhours: reprocess interrupted after sending 10 of 25 object versions to the queue;"
                + " the rest were not sent: run the same command again (an object version it sends twice is"
                + " classified twice, which changes nothing under the same model and settings)\n");
  }

  @Test
  void aRunThatEndsOnItsOwnSaysNothing() throws Exception {
    Process child = child("done");

    assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child ended").isTrue();
    assertThat(child.exitValue()).isZero();
    assertThat(dir.resolve("err")).isEmptyFile();
  }

  @Test
  void beforeTheSelectionIsReadNothingWasSentAndOnceAllAreSentItSaysSo() {
    assertThat(ReprocessInterruption.message(-1, 0))
        .isEqualTo(
            "offhours: reprocess interrupted while it read the results: nothing was sent to the"
                + " queue");
    assertThat(ReprocessInterruption.message(1, 1))
        .isEqualTo(
            "offhours: reprocess interrupted after sending 1 of 1 object version to the queue: all"
                + " of them");
  }

  /** The count grows batch by batch, by what SQS took of each: the line is true wherever the signal lands. */
  @Test
  void sendCountsWhatSqsTookOfEachBatch() {
    List<Integer> taken = new ArrayList<>();
    List<ResultItem> results = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      results.add(item("k" + i + ".png"));
    }
    // SQS refuses one entry of the second batch.
    SqsClient refusing = new SqsClient() {
      private int batches;

      @Override
      public SendMessageBatchResponse sendMessageBatch(SendMessageBatchRequest request) {
        return SendMessageBatchResponse.builder()
            .failed(
                ++batches == 2
                    ? List.of(BatchResultErrorEntry.builder()
                        .id("3")
                        .code("InternalError")
                        .build())
                    : List.of())
            .build();
      }

      @Override
      public String serviceName() {
        return "sqs";
      }

      @Override
      public void close() {}
    };

    List<String> failed = ReprocessCommand.send(
        refusing, "queue", results, Instant.parse("2026-12-07T00:00:00Z"), taken::add);

    assertThat(taken).containsExactly(10, 9, 3);
    assertThat(failed).containsExactly(ResultItem.pkFor("b", "k13.png") + " v1");
  }

  private static ResultItem item(String key) {
    return new ResultItem(
        ResultItem.pkFor("b", key),
        "v1",
        "b",
        key,
        "v1",
        "e",
        "s",
        1L,
        Verdict.REJECTED,
        "reason",
        List.of(),
        null,
        null,
        "m",
        "e",
        null,
        Instant.parse("2026-12-06T00:00:00Z"),
        1,
        null,
        null);
  }

  private Process child(String... args) throws Exception {
    return ChildJvm.start(Child.class, dir.resolve("err"), args);
  }
}
