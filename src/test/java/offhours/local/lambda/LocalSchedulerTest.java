package offhours.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalSchedulerTest {

  private static final String TICK = "{\"source\":\"offhours.schedule\"}";

  private final LocalScheduler scheduler = new LocalScheduler("eu-central-1", "111122223333");

  @AfterEach
  void close() {
    scheduler.close();
  }

  @Test
  void runsAtAFixedRateWithTheSchedulesInputAsItIs() throws Exception {
    List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
    List<String> functions = new CopyOnWriteArrayList<>();
    CountDownLatch three = new CountDownLatch(3);
    scheduler.schedule("controller", Duration.ofMillis(20), TICK, (event, context) -> {
      events.add(event);
      functions.add(context.getInvokedFunctionArn());
      three.countDown();
      return Map.of();
    });

    assertThat(three.await(10, TimeUnit.SECONDS)).isTrue();

    assertThat(events)
        .hasSizeGreaterThanOrEqualTo(3)
        .allSatisfy(e -> assertThat(e).isEqualTo(Map.of("source", "offhours.schedule")));
    assertThat(functions)
        .first()
        .isEqualTo("arn:aws:lambda:eu-central-1:111122223333:function:controller");
  }

  @Test
  void refusesAnInputThatIsNotAJsonObject() {
    assertThatThrownBy(() -> scheduler.schedule("bad", Duration.ofHours(1), "[1]", (e, c) -> null))
        .hasMessage("schedule bad: the input must be a JSON object; got [1]");
  }

  @Test
  void aRunThatThrowsDoesNotStopTheSchedule() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch afterFailure = new CountDownLatch(2);
    scheduler.schedule("flaky", Duration.ofMillis(20), TICK, (event, context) -> {
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
    scheduler.schedule(
        "manual",
        Duration.ofHours(1),
        TICK,
        (event, context) -> Map.of("ran", context.getFunctionName()));
    scheduler.schedule("broken", Duration.ofHours(1), TICK, (event, context) -> {
      throw new IllegalStateException("endpoint config missing");
    });

    assertThat(scheduler.runNow("manual")).isEqualTo(Map.of("ran", "manual"));
    assertThatThrownBy(() -> scheduler.runNow("broken"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("endpoint config missing");
    assertThatThrownBy(() -> scheduler.runNow("other"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("no schedule named other; known: ");
  }

  @Test
  void rejectsANonPositiveRateAndDuplicateNames() {
    assertThatThrownBy(() -> scheduler.schedule("zero", Duration.ZERO, TICK, (e, c) -> null))
        .hasMessage("schedule zero: rate must be positive; got PT0S");
    scheduler.schedule("once", Duration.ofHours(1), TICK, (e, c) -> null);
    assertThatThrownBy(() -> scheduler.schedule("once", Duration.ofHours(1), TICK, (e, c) -> null))
        .hasMessage("schedule once already exists");
  }

  @Test
  void closeStopsTheThread() {
    scheduler.schedule("tick", Duration.ofMillis(10), TICK, (e, c) -> null);

    scheduler.close();

    assertThat(Thread.getAllStackTraces().keySet())
        .extracting(Thread::getName)
        .doesNotContain("offhours-scheduler");
  }
}
