package offhours.local.lambda;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import offhours.local.invocation.FunctionInvoker;
import offhours.local.invocation.Invoked;
import offhours.testing.UnusedSqs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

class LocalSchedulerTest {

  private static final String TICK = "{\"source\":\"offhours.schedule\"}";

  // Never called: no mapping is created here.
  private final SqsClient sqs = UnusedSqs.client();
  private final LocalLambda local =
      LocalLambda.builder(sqs).region("eu-central-1").accountId("111122223333").start();
  private final LocalScheduler scheduler = new LocalScheduler();

  @AfterEach
  void close() {
    scheduler.close();
    local.close();
    sqs.close();
  }

  /** A function of the local Lambda's named {@code name}, running {@code handler}, as a schedule's target. */
  private FunctionInvoker function(String name, RequestHandler<Map<String, Object>, ?> handler) {
    local.registerJsonFunction(name, handler, Duration.ofSeconds(30));
    return local.invoker(name);
  }

  @Test
  void runsAtAFixedRateWithTheSchedulesInputAsItIs() throws Exception {
    List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
    List<String> functions = new CopyOnWriteArrayList<>();
    CountDownLatch three = new CountDownLatch(3);
    scheduler.schedule(
        "controller", Duration.ofMillis(20), TICK, function("controller", (event, context) -> {
          events.add(event);
          functions.add(context.getInvokedFunctionArn());
          three.countDown();
          return Map.of();
        }));

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
    FunctionInvoker target = function("bad", (e, c) -> null);
    assertThatThrownBy(() -> scheduler.schedule("bad", Duration.ofHours(1), "[1]", target))
        .hasMessage("schedule bad: the input must be a JSON object; got [1]");
  }

  @Test
  void aRunThatThrowsDoesNotStopTheSchedule() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch afterFailure = new CountDownLatch(2);
    scheduler.schedule("flaky", Duration.ofMillis(20), TICK, function("flaky", (event, context) -> {
      if (runs.incrementAndGet() == 1) {
        throw new IllegalStateException("first run fails");
      }
      afterFailure.countDown();
      return null;
    }));

    assertThat(afterFailure.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void runNowReturnsWhatTheInvocationCameTo() throws Exception {
    scheduler.schedule(
        "manual",
        Duration.ofHours(1),
        TICK,
        function("manual", (event, context) -> Map.of("ran", context.getFunctionName())));
    scheduler.schedule("broken", Duration.ofHours(1), TICK, function("broken", (event, context) -> {
      throw new IllegalStateException("endpoint config missing");
    }));

    assertThat(new String(scheduler.runNow("manual").response(), UTF_8))
        .isEqualTo("{\"ran\":\"manual\"}");
    assertThat(scheduler.runNow("broken"))
        .extracting(Invoked::errorType, Invoked::errorMessage)
        .containsExactly(IllegalStateException.class.getName(), "endpoint config missing");
    assertThatThrownBy(() -> scheduler.runNow("other"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("no schedule named other; known: ");
  }

  @Test
  void rejectsANonPositiveRateAndDuplicateNames() {
    FunctionInvoker target = function("target", (e, c) -> null);
    assertThatThrownBy(() -> scheduler.schedule("zero", Duration.ZERO, TICK, target))
        .hasMessage("schedule zero: rate must be positive; got PT0S");
    scheduler.schedule("once", Duration.ofHours(1), TICK, target);
    assertThatThrownBy(() -> scheduler.schedule("once", Duration.ofHours(1), TICK, target))
        .hasMessage("schedule once already exists");
  }

  @Test
  void closeStopsTheThread() {
    scheduler.schedule("tick", Duration.ofMillis(10), TICK, function("tick", (e, c) -> null));

    scheduler.close();

    assertThat(Thread.getAllStackTraces().keySet())
        .extracting(Thread::getName)
        .doesNotContain("offhours-scheduler");
  }
}
