package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import offhours.cli.ReprocessCommand.Selection;
import offhours.results.ResultItem;
import offhours.results.ResultItem.Label;
import offhours.results.ResultItem.Verdict;
import org.junit.jupiter.api.Test;

class ReprocessCommandTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneId.of("Europe/Berlin"));

  private static ResultItem item(
      String key, Verdict status, String label, String model, String classifiedAt) {
    return new ResultItem(
        ResultItem.pkFor("b", key),
        "e#1",
        "b",
        key,
        null,
        "1",
        null,
        1L,
        status,
        status == Verdict.REJECTED ? "reason" : null,
        label == null ? List.of() : List.of(new Label(label, 0.5)),
        label,
        label == null ? null : 0.5,
        model,
        "e",
        null,
        Instant.parse(classifiedAt),
        1,
        null);
  }

  private static Selection select(Map<String, String> options) {
    return ReprocessCommand.selection(new Arguments(List.of(), options), CLOCK);
  }

  @Test
  void timesAreInstantsLocalDateTimesInTheUsersZoneOrDurationsAgo() {
    assertThat(ReprocessCommand.time("--since", "2026-11-25T10:00:00Z", CLOCK))
        .isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
    assertThat(ReprocessCommand.time("--since", "2026-11-25T10:00", CLOCK))
        .isEqualTo(Instant.parse("2026-11-25T09:00:00Z"));
    assertThat(ReprocessCommand.time("--since", "1d12h", CLOCK))
        .isEqualTo(Instant.parse("2026-11-24T00:00:00Z"));
    assertThatThrownBy(() -> ReprocessCommand.time("--before", "yesterday", CLOCK))
        .hasMessageStartingWith(
            "--before needs an ISO-8601 instant (2026-11-25T18:00:00Z), a local date-time")
        .hasMessageEndingWith("got 'yesterday'");
  }

  @Test
  void filtersCombineAndAMessageWithoutAnObjectIsNeverSelected() {
    ResultItem neutral =
        item("cats/a.png", Verdict.CLASSIFIED, "Neutral", "m1", "2026-11-25T10:00:00Z");
    ResultItem rejected = item("cats/b.png", Verdict.REJECTED, null, "m1", "2026-11-24T10:00:00Z");
    ResultItem malformed = new ResultItem(
        "sqs://q/id",
        "m#body",
        null,
        null,
        null,
        null,
        null,
        null,
        Verdict.REJECTED,
        "not JSON",
        List.of(),
        null,
        null,
        "m1",
        "e",
        null,
        Instant.parse("2026-11-25T10:00:00Z"),
        1,
        null);

    assertThat(select(Map.of("prefix", "cats/", "status", "rejected")).test(rejected))
        .isTrue();
    assertThat(select(Map.of("prefix", "cats/", "status", "rejected")).test(neutral))
        .isFalse();
    assertThat(select(Map.of("label", "Neutral", "model", "m1")).test(neutral)).isTrue();
    assertThat(select(Map.of("model", "m2")).test(neutral)).isFalse();
    assertThat(select(Map.of("since", "1d")).test(rejected))
        .as("a day and two hours old")
        .isFalse();
    assertThat(select(Map.of("before", "1d")).test(rejected)).isTrue();
    assertThat(select(Map.of("key", "cats/a.png")).test(neutral)).isTrue();
    assertThat(select(Map.of()).any()).isFalse();
    assertThat(select(Map.of("status", "REJECTED")).test(malformed)).isFalse();
    assertThatThrownBy(() -> select(Map.of("status", "lost")))
        .hasMessage("unknown status 'lost'; use CLASSIFIED or REJECTED");
  }
}
