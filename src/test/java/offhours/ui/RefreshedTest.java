package offhours.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import offhours.testing.MutableClock;
import org.junit.jupiter.api.Test;

/**
 * The page's settings are read again once they are a minute old, whatever the tabs poll; a read that fails keeps the
 * last good value and says since when and why. Time is the test's clock, moved by hand.
 */
class RefreshedTest {

  private static final Instant START = Instant.parse("2026-11-25T21:00:00Z");
  private static final Duration TTL = Duration.ofMinutes(1);

  private final MutableClock clock = new MutableClock(START);
  /** What each read answers, in turn: a value, or a failure to throw. */
  private final Deque<Object> answers = new ArrayDeque<>();

  private int reads;

  private final Supplier<String> read = () -> {
    reads++;
    Object next = answers.removeFirst();
    if (next instanceof RuntimeException e) {
      throw e;
    }
    return (String) next;
  };

  @Test
  void theValueIsReadAgainOnlyOnceItIsOlderThanTheTimeToLive() {
    Refreshed<String> settings = new Refreshed<>("60 min", read, TTL, clock);
    answers.add("15 min");

    clock.advance(TTL.minusSeconds(1));
    for (int poll = 0; poll < 100; poll++) {
      assertThat(settings.get().value()).isEqualTo("60 min");
    }
    assertThat(reads).as("a hundred polls within the minute").isZero();

    clock.advance(Duration.ofSeconds(1));
    assertThat(settings.get()).isEqualTo(Refreshed.AsRead.of("15 min", START.plus(TTL)));
    assertThat(settings.get().value()).isEqualTo("15 min");
    assertThat(reads).as("one read, however many polls follow it").isEqualTo(1);
  }

  @Test
  void aFailedReadKeepsTheLastGoodValueAndSaysSinceWhenAndWhy() {
    Refreshed<String> settings = new Refreshed<>("60 min", read, TTL, clock);
    answers.add(new IllegalStateException("Throttling: Rate exceeded"));
    answers.add(new IllegalStateException("stack prod was deleted"));
    answers.add("15 min");

    clock.advance(TTL);
    Instant firstFailure = clock.now();
    assertThat(settings.get())
        .isEqualTo(
            new Refreshed.AsRead<>("60 min", START, firstFailure, "Throttling: Rate exceeded"));

    clock.advance(TTL.minusSeconds(1));
    settings.get();
    assertThat(reads).as("a failed read is not tried again before a minute").isEqualTo(1);

    clock.advance(Duration.ofSeconds(1));
    assertThat(settings.get())
        .as("failing since the first failure, with the last one's words")
        .isEqualTo(new Refreshed.AsRead<>("60 min", START, firstFailure, "stack prod was deleted"));

    clock.advance(TTL);
    assertThat(settings.get())
        .as("a good read ends the failure")
        .isEqualTo(Refreshed.AsRead.of("15 min", clock.now()));
  }

  @Test
  void whileOneCallerReadsTheOthersGetTheValueAsItIsWithoutWaiting() {
    List<Refreshed.AsRead<String>> seenMeanwhile = new ArrayList<>();
    Refreshed<String>[] settings = new Refreshed[1];
    settings[0] = new Refreshed<>(
        "60 min",
        () -> {
          reads++;
          if (reads == 1) {
            // A read as slow as the time-to-live (DescribeStacks retried while throttled),
            // and another tab's poll meanwhile: the value is due again, but this read is
            // still on its way, so that poll gets the value as it is rather than reading too.
            clock.advance(TTL);
            seenMeanwhile.add(settings[0].get());
          }
          return "15 min";
        },
        TTL,
        clock);

    clock.advance(TTL);
    assertThat(settings[0].get().value()).isEqualTo("15 min");

    assertThat(seenMeanwhile).containsExactly(Refreshed.AsRead.of("60 min", START));
    assertThat(reads).isEqualTo(1);
  }

  @Test
  void aReadWithoutAValueIsAFailure() {
    Refreshed<String> settings = new Refreshed<>("60 min", () -> null, TTL, clock);

    clock.advance(TTL);

    assertThat(settings.get().value()).isEqualTo("60 min");
    assertThat(settings.get().failure()).isEqualTo("a read gave no value");
  }

  @Test
  void aTimeToLiveMustBePositive() {
    assertThatThrownBy(() -> new Refreshed<>("x", read, Duration.ZERO, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a time-to-live must be positive, got PT0S");
  }
}
