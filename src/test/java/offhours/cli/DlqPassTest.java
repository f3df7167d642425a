package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import offhours.cli.DeadLetterQueue.Letter;
import org.junit.jupiter.api.Test;

/**
 * A pass over a DLQ on {@link FakeDlq}: small pages, slow calls, and messages that come back when their visibility
 * timeout runs out, as on SQS from a laptop.
 */
class DlqPassTest {

  private static DeadLetterQueue dlq(FakeDlq sqs) {
    return new DeadLetterQueue(sqs, FakeDlq.URL, Map.of(), sqs.clock(), System.err);
  }

  @Test
  void aPassLongerThanItsHidePeriodOverPagesOfOneSeesEveryMessageOnceAndLeavesThemVisible() {
    FakeDlq sqs = new FakeDlq(1, 1000);
    for (int i = 0; i < 400; i++) {
      sqs.add("body " + i);
    }

    DeadLetterQueue.Listing listing = dlq(sqs).list();

    assertThat(listing.letters())
        .extracting(Letter::messageId)
        .containsExactlyInAnyOrderElementsOf(sqs.ids());
    assertThat(listing.pass().complete()).isTrue();
    assertThat(listing.pass().warnings()).isEmpty();
    assertThat(listing.pass().hideSeconds()).isEqualTo(DlqPass.hideSeconds(400)).isEqualTo(260);
    assertThat(sqs.receiveCalls())
        .as("the pass outlasted its hide period, so it had to extend it")
        .isGreaterThan(listing.pass().hideSeconds());
    assertThat(sqs.visible()).as("all visible again").isEqualTo(400);
  }

  @Test
  void aMoveOfASelectionOverSmallPagesMovesEverySelectedMessageAndNamesTheOneItCouldNot() {
    FakeDlq sqs = new FakeDlq(2, 1000);
    for (int i = 0; i < 300; i++) {
      sqs.add((i % 3 == 0 ? "cat " : "dog ") + i);
    }
    sqs.failSends.add("cat 9");
    String queue = "https://sqs.eu-west-1.amazonaws.com/123456789012/offhours-queue";

    DeadLetterQueue.Moved moved = dlq(sqs)
        .move(queue, l -> l.body().startsWith("cat "), new DlqPass.StartCounts(sqs.visible(), 0));

    assertThat(moved.moved()).hasSize(99);
    assertThat(sqs.sentTo.get(queue)).hasSize(99).doesNotContain("cat 9");
    assertThat(moved.kept()).hasSize(200);
    assertThat(moved.failed())
        .containsExactly(
            "m-00009: not sent (HTTP 500, InternalError: try again); it stays in the DLQ");
    assertThat(moved.pass().complete()).isTrue();
    assertThat(sqs.ids()).hasSize(201).contains("m-00009");
    assertThat(sqs.visible()).isEqualTo(201);
  }

  @Test
  void aPassThatOnlyGetsBackWhatItHasSeenStopsAndSaysSo() {
    FakeDlq sqs = new FakeDlq(3, 100);
    sqs.ignoreVisibility = true; // every receive hands out the same messages again
    for (int i = 0; i < 30; i++) {
      sqs.add("body " + i);
    }

    DeadLetterQueue.Listing listing = dlq(sqs).list();

    assertThat(listing.letters()).hasSize(3);
    assertThat(listing.pass().complete()).isFalse();
    assertThat(listing.pass().warnings())
        .containsExactly("the pass stopped before it saw every message (20 receives in a row"
            + " brought back only messages it had seen: their hide period ran out); it saw 3"
            + " messages of about 30: run the command again");
    assertThat(sqs.receiveCalls()).isEqualTo(1 + DlqPass.MAX_STALE_RECEIVES);
  }

  @Test
  void messagesSqsDidNotMakeVisibleAgainAreCounted() {
    FakeDlq sqs = new FakeDlq(10, 100);
    for (int i = 0; i < 5; i++) {
      sqs.add("body " + i);
    }
    sqs.failVisibilityFor.add("m-00002#1");

    DeadLetterQueue.Listing listing = dlq(sqs).list();

    assertThat(listing.letters()).hasSize(5);
    assertThat(listing.pass().notReleased()).isEqualTo(1);
    assertThat(listing.pass().warnings())
        .containsExactly(
            "1 message could not be made visible again now; they show again within 62 s");
    assertThat(sqs.visible()).isEqualTo(4);
  }

  @Test
  void theHidePeriodGrowsWithTheQueueUpToSqssLimit() {
    assertThat(DlqPass.hideSeconds(0)).isEqualTo(60);
    assertThat(DlqPass.hideSeconds(1000)).isEqualTo(560);
    assertThat(DlqPass.hideSeconds(1_000_000)).isEqualTo(43_200);
  }

  @Test
  void countsThatDifferAndMessagesHiddenByAnotherReaderAreReported() {
    assertThat(new DlqPass.PassReport(7, 9, 0, 64, null, 0).warnings())
        .containsExactly("the pass saw 7 messages while SQS counted about 9 visible when it began"
            + " (SQS's counts are approximate; messages that arrive or expire during a pass also"
            + " make them differ)");
    assertThat(new DlqPass.PassReport(9, 9, 4, 64, null, 0).warnings())
        .containsExactly("SQS counted about 4 more hidden by another reader when the pass began (an"
            + " interrupted or running 'offhours dlq' command?): this pass could not see them; they"
            + " show again when that reader's visibility timeout ends");
    assertThat(new DlqPass.PassReport(9, 9, 0, 64, null, 0).warnings()).isEmpty();
  }

  @Test
  void aPassOverAnEmptyQueueEndsOnItsFirstReceive() {
    FakeDlq sqs = new FakeDlq(10, 100);

    DeadLetterQueue.Listing listing = dlq(sqs).list();

    assertThat(listing.letters()).isEmpty();
    assertThat(listing.pass().complete()).isTrue();
    assertThat(sqs.receiveCalls()).isEqualTo(1);
    List<String> none = listing.pass().warnings();
    assertThat(none).isEmpty();
  }

  @Test
  void theRedrivesLineCountsInTheGrammarOfEachCount() {
    // It said "moved 0 messages back to the queue, each sent before ..." and "1 not selected stay".
    assertThat(DlqRedrive.movedSummary(0, 1, null))
        .isEqualTo("moved 0 messages back to the queue; 1 not selected" + " stays in the DLQ");
    assertThat(DlqRedrive.movedSummary(1, 2, null))
        .isEqualTo("moved 1 message back to the queue, sent before it was"
            + " deleted from the DLQ; 2 not selected stay in the DLQ");
    assertThat(DlqRedrive.movedSummary(3, 0, "no move tasks"))
        .isEqualTo("moved 3 messages back to the queue, each"
            + " sent before it was deleted from the DLQ (no move tasks)");
  }
}
