package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackfillCheckpointTest {

  @TempDir
  Path cache;

  @Test
  void aSavedKeyIsWhereTheNextRunGoesOnUntilTheBackfillEnds() throws IOException {
    BackfillCheckpoint checkpoint = BackfillCheckpoint.of(cache, "the local stack", "b", "photos/");
    assertThat(checkpoint.after()).isEmpty();

    checkpoint.save("photos/ünïcødé 07.png");

    assertThat(checkpoint.file().getParent()).isEqualTo(cache.resolve("backfill"));
    assertThat(BackfillCheckpoint.of(cache, "the local stack", "b", "photos/").after())
        .contains("photos/ünïcødé 07.png");
    assertThat(BackfillCheckpoint.of(cache, "stack prod", "b", "photos/").after())
        .as("another stack's")
        .isEmpty();
    assertThat(BackfillCheckpoint.of(cache, "the local stack", "b", "other/").after())
        .as("another prefix")
        .isEmpty();
    checkpoint.clear();
    assertThat(checkpoint.after()).isEmpty();
  }

  @Test
  void anUnreadableCheckpointSaysHowToGoOn() throws IOException {
    BackfillCheckpoint checkpoint = BackfillCheckpoint.of(cache, "the local stack", "b", "");
    Files.createDirectories(checkpoint.file().getParent());
    Files.writeString(checkpoint.file(), "{not json");

    assertThatThrownBy(checkpoint::after)
        .hasMessageStartingWith("cannot read the backfill checkpoint " + checkpoint.file())
        .hasMessageEndingWith(
            "delete it or run again with --restart (objects with a result are skipped either way)");
  }

  @Test
  void theTallyBarGrowsWithTheListingAndEscapesTheKey() {
    assertThat(Progress.Tally.render(6, 12, true, "4 sent  2 skipped", "a\u001b[2Jb.png"))
        .isEqualTo("[############------------] 6/12+ keys  4 sent  2 skipped  a\\x1b[2Jb.png");
    assertThat(Progress.Tally.render(12, 12, false, "", "z.png"))
        .startsWith("[########################] 12/12 keys");
  }
}
