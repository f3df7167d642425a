package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which stop a signal runs as the local stack's start returns ({@link StackStops.StopPhase}). */
class StackStopsTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final AtomicInteger startUpStops = new AtomicInteger();
  private final AtomicInteger stackStops = new AtomicInteger();

  private final StackStops.StopPhase phase = new StackStops.StopPhase(
      () -> {
        startUpStops.incrementAndGet();
        return List.of();
      },
      err);

  private String err() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aSignalOnceTheStackIsUpRunsItsStopAloneAndSaysNothingOfAStartUp() throws Exception {
    phase.up(stackStops::incrementAndGet);

    phase.stop();

    assertThat(stackStops).hasValue(1);
    assertThat(startUpStops).hasValue(0);
    assertThat(err()).doesNotContain("before it was up");
  }

  @Test
  void aSignalBeforeTheStackIsTakenUpStopsTheStartUpAndTheStackIsNotTakenUpAfterIt() {
    phase.stop(); // the start has returned, the command has not yet taken the stack up

    assertThat(startUpStops).hasValue(1);
    assertThat(err())
        .isEqualTo(
            "offhours: the local stack stopped before it was up; it had started no other process\n");
    assertThatThrownBy(() -> phase.up(stackStops::incrementAndGet))
        .isInstanceOf(StackStops.StoppedWhileStarting.class);
    assertThat(stackStops).as("the stack's stop is never the signal's").hasValue(0);
  }
}
