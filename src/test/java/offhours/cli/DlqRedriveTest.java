package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import offhours.cli.DeadLetterQueue.Moved;
import org.junit.jupiter.api.Test;

/**
 * What {@code dlq redrive} says on stderr of a selection that moved less than it named: each line names what was
 * asked, so an operator sees why nothing moved rather than a bare count.
 */
class DlqRedriveTest {

  private static final DlqPass.PassReport COMPLETE = new DlqPass.PassReport(3, 3, 0, 60, null, 0);

  private static Moved moved(List<String> moved, List<String> kept, List<String> failed) {
    return new Moved(moved, kept, failed, COMPLETE);
  }

  @Test
  void anIdInTheDlqThatTheKeyPrefixLeftIsNamedAsNotMatchingNotAsMissing() {
    DlqRedrive.Notes notes = DlqRedrive.notes(
        Optional.of(Set.of("m-1", "m-9")),
        Optional.of("cats/"),
        moved(List.of(), List.of("m-1", "m-2"), List.of()));

    assertThat(notes.lines())
        .containsExactly(
            "not in the dead-letter queue: m-9",
            "in the dead-letter queue but not matching --key-prefix cats/: m-1");
    assertThat(notes.idsLeft()).as("an id given was not moved: exit 1").isTrue();
  }

  @Test
  void aKeyPrefixThatMatchesNothingIsNamedQuotedForTheShellWithHowManyMessagesItSaw() {
    DlqRedrive.Notes notes = DlqRedrive.notes(
        Optional.empty(),
        Optional.of("100% <b>/it's"),
        moved(List.of(), List.of("m-1", "m-2"), List.of()));

    assertThat(notes.lines())
        .containsExactly("no message matches --key-prefix '100% <b>/it'\\''s' (of 2 messages in"
            + " the dead-letter queue; 'offhours dlq list' shows the keys)");
    assertThat(notes.idsLeft()).isFalse();
  }

  @Test
  void aPrefixWithAControlCharacterIsShownEscaped() {
    DlqRedrive.Notes notes = DlqRedrive.notes(
        Optional.empty(), Optional.of("a\u001b[2Jb"), moved(List.of(), List.of("m-1"), List.of()));

    assertThat(notes.lines().getFirst()).contains(" $'a\\x1b[2Jb' ").doesNotContain("\u001b");
  }

  @Test
  void anEmptyDlqSaysSoWithOrWithoutASelection() {
    assertThat(DlqRedrive.notes(
                Optional.empty(), Optional.empty(), moved(List.of(), List.of(), List.of()))
            .lines())
        .containsExactly("the dead-letter queue is empty: nothing to redrive");
    assertThat(DlqRedrive.notes(
                Optional.empty(), Optional.of("cats/"), moved(List.of(), List.of(), List.of()))
            .lines())
        .containsExactly(
            "the dead-letter queue is empty: nothing to redrive (asked: --key-prefix cats/)");
  }

  @Test
  void aRedriveThatMovedSomethingOrFailedOrSawTooLittleAddsNoNote() {
    assertThat(DlqRedrive.notes(
                Optional.empty(),
                Optional.of("cats/"),
                moved(List.of("m-1"), List.of("m-2"), List.of()))
            .lines())
        .isEmpty();
    assertThat(DlqRedrive.notes(
                Optional.empty(),
                Optional.of("cats/"),
                moved(List.of(), List.of(), List.of("m-1: not sent (HTTP 403, AccessDenied)")))
            .lines())
        .as("the failure has its own line")
        .isEmpty();
    Moved partial = new Moved(
        List.of(), List.of("m-1"), List.of(), new DlqPass.PassReport(1, 30, 0, 60, "stopped", 0));
    assertThat(DlqRedrive.notes(Optional.empty(), Optional.of("cats/"), partial).lines())
        .as("a pass that did not see every message cannot say that none matches")
        .isEmpty();
  }

  @Test
  void aDlqWhoseMessagesAnotherReaderHidesIsNotSaidToBeEmpty() {
    // SQS counted 4 hidden when the pass began (an interrupted 'dlq list', say): the pass saw none
    // of them, and its warning says so; "empty" or "no message matches" would contradict it.
    DlqPass.PassReport hidden = new DlqPass.PassReport(0, 0, 4, 60, null, 0);
    Moved none = new Moved(List.of(), List.of(), List.of(), hidden);
    assertThat(DlqRedrive.notes(Optional.empty(), Optional.empty(), none).lines())
        .isEmpty();
    assertThat(DlqRedrive.notes(Optional.empty(), Optional.of("cats/"), none).lines())
        .isEmpty();
    Moved other = new Moved(List.of(), List.of("m-1"), List.of(), hidden);
    assertThat(DlqRedrive.notes(Optional.empty(), Optional.of("cats/"), other).lines())
        .isEmpty();
    assertThat(hidden.warnings())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("SQS counted about 4 more hidden by another reader");
  }

  @Test
  void anIdAPassThatSawTooLittleDidNotMeetIsOnlyNotSeenNotMissing() {
    // The pass stopped early, or SQS counted messages another reader held hidden: the id may be
    // among those the pass never saw, so the line says only that it did not see it.
    Moved stopped = new Moved(
        List.of(), List.of("m-1"), List.of(), new DlqPass.PassReport(1, 30, 0, 60, "stopped", 0));
    Moved hidden = new Moved(
        List.of(), List.of("m-1"), List.of(), new DlqPass.PassReport(1, 1, 4, 60, null, 0));
    for (Moved partial : List.of(stopped, hidden)) {
      DlqRedrive.Notes notes =
          DlqRedrive.notes(Optional.of(Set.of("m-9")), Optional.empty(), partial);

      assertThat(notes.lines())
          .containsExactly("not seen by this pass, which could not see every message of the"
              + " dead-letter queue (its warning says why; run the command again): m-9");
      assertThat(notes.idsLeft()).as("the id was not moved: exit 1").isTrue();
    }
  }

  @Test
  void anIdMovedOrFailedIsNeitherMissingNorUnmatched() {
    DlqRedrive.Notes notes = DlqRedrive.notes(
        Optional.of(Set.of("m-1", "m-2")),
        Optional.empty(),
        moved(List.of("m-1"), List.of(), List.of("m-2: not sent (HTTP 500, InternalError)")));

    assertThat(notes.lines()).isEmpty();
    assertThat(notes.idsLeft()).isFalse();
  }
}
