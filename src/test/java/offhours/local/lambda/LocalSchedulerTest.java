package offhours.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalSchedulerTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-29T01:30:15.250Z"), ZoneOffset.UTC);

  private final LocalScheduler scheduler = new LocalScheduler(CLOCK, "eu-central-1", "111122223333");

  @AfterEach
  void close() {
    scheduler.close();
  }

  @Test
  void runsAtAFixedRateWithAScheduledEvent() throws Exception {
    List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
    CountDownLatch three = new CountDownLatch(3);
    scheduler.schedule("controller", Duration.ofMillis(20), (event, context) -> {
      events.add(event);
      three.countDown();
      return Map.of();
    });

    assertThat(three.await(10, TimeUnit.SECONDS)).isTrue();

    Map<String, Object> event = events.get(0);
    assertThat(event).containsEntry("version", "0").containsEntry("detail-type", "Scheduled Event")
        .containsEntry("source", "aws.scheduler").containsEntry("account", "111122223333")
        .containsEntry("time", "2026-03-29T01:30:15Z").containsEntry("region", "eu-central-1")
        .containsEntry("resources", List.of("arn:aws:scheduler:eu-central-1:111122223333:schedule/default/controller"))
        .containsEntry("detail", Map.of()).containsKey("id");
    assertThat(events).extracting(e -> e.get("id")).doesNotHaveDuplicates();
  }

  @Test
  void aRunThatThrowsDoesNotStopTheSchedule() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch afterFailure = new CountDownLatch(2);
    scheduler.schedule("flaky", Duration.ofMillis(20), (event, context) -> {
      if (runs.incrementAndGet() == 1) {
        throw new IllegalStateException("first run fails");
      }
      afterFailure.countDown();
      return null;
    });

    assertThat(afterFailure.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void runNowReturnsWhatTheHandlerReturnsAndRethrowsItsFailure() throws Exception {
    scheduler.schedule("manual", Duration.ofHours(1), (event, context) -> Map.of("ran", context.getFunctionName()));
    scheduler.schedule("broken", Duration.ofHours(1), (event, context) -> {
      throw new IllegalStateException("endpoint config missing");
    });

    assertThat(scheduler.runNow("manual")).isEqualTo(Map.of("ran", "manual"));
    assertThatThrownBy(() -> scheduler.runNow("broken")).isInstanceOf(IllegalStateException.class)
        .hasMessage("endpoint config missing");
    assertThatThrownBy(() -> scheduler.runNow("other")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("no schedule named other; known: ");
  }

  @Test
  void rejectsANonPositiveRateAndDuplicateNames() {
    assertThatThrownBy(() -> scheduler.schedule("zero", Duration.ZERO, (e, c) -> null))
        .hasMessage("schedule zero: rate must be positive; got PT0S");
    scheduler.schedule("once", Duration.ofHours(1), (e, c) -> null);
    assertThatThrownBy(() -> scheduler.schedule("once", Duration.ofHours(1), (e, c) -> null))
        .hasMessage("schedule once already exists");
  }

  @Test
  void closeStopsTheThread() {
    scheduler.schedule("tick", Duration.ofMillis(10), (e, c) -> null);

    scheduler.close();

    assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
        .doesNotContain("offhours-scheduler");
  }
}
