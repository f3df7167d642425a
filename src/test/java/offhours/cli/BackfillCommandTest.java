package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackfillCommandTest {
  private static final Path CHECKPOINT = Path.of("/cache/backfill/1.json");

  @Test
  void aRunThatMaxStoppedSaysHowManyOfTheObjectsListedItDidNotReach() {
    // A page of 6: a text file ignored, 2 images sent, then --max 2 stopped it before the other 3.
    BackfillCommand.Summary cut = new BackfillCommand.Summary(
        "photos", "old/", Optional.empty(), 6, 2, 0, 1, 0, false, Duration.ofSeconds(1));

    assertThat(BackfillCommand.stopped(cut, CHECKPOINT))
        .isEqualTo("stopped after 2 sends (--max), with 3 of the 6 objects listed so far not"
            + " reached; run the same command to go on (checkpoint /cache/backfill/1.json)");
  }

  @Test
  void aRunStoppedWhereItsListingPageEndedNamesNoneLeft() {
    BackfillCommand.Summary atPageEnd = new BackfillCommand.Summary(
        "photos", "old/", Optional.empty(), 4, 2, 1, 1, 0, false, Duration.ofSeconds(1));

    assertThat(BackfillCommand.stopped(atPageEnd, CHECKPOINT))
        .isEqualTo("stopped after 2 sends (--max); run the same command to go on (checkpoint"
            + " /cache/backfill/1.json)");
  }
}
