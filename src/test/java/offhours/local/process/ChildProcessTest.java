package offhours.local.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A recorded child is the process it names only while one with its id runs and started at the recorded instant: a
 * reused id is never taken for it. Needs {@code sleep} (coreutils) for a real process to record.
 */
class ChildProcessTest {
  private Process sleeper;

  @AfterEach
  void endTheSleeper() {
    if (sleeper != null) {
      sleeper.destroyForcibly(); // only what this test started, by its handle
    }
  }

  private ProcessHandle sleeper() throws IOException {
    sleeper = new ProcessBuilder("sleep", "60").start();
    return sleeper.toHandle();
  }

  @Test
  void aRecordOfARunningProcessFindsIt() throws Exception {
    ProcessHandle process = sleeper();
    ChildProcess child = ChildProcess.of("moto_server", process).orElseThrow();

    assertThat(child.pid()).isEqualTo(process.pid());
    assertThat(child.started())
        .isEqualTo(process.info().startInstant().orElseThrow().toString());
    assertThat(child.stillRunning()).contains(process);
  }

  @Test
  void aProcessThatGotTheIdLaterIsNotTheRecordedOne() throws Exception {
    ProcessHandle process = sleeper();
    // Recorded when an earlier process had this id: the one that runs now started after it.
    String earlier =
        process.info().startInstant().orElseThrow().minusSeconds(3600).toString();
    ChildProcess child = new ChildProcess("moto_server", process.pid(), earlier);

    assertThat(child.isSameProcess(process)).isFalse();
    assertThat(child.stillRunning()).isEmpty();
  }

  @Test
  void aProcessWithAnotherIdIsNotTheRecordedOneEvenWhenItStartedThen() throws Exception {
    ProcessHandle process = sleeper();
    String started = process.info().startInstant().orElseThrow().toString();
    ChildProcess child = new ChildProcess("moto_server", process.pid() + 1, started);

    assertThat(child.isSameProcess(process)).isFalse();
    assertThat(child.stillRunning(pid -> Optional.of(process))).isEmpty();
  }

  @Test
  void aProcessThatEndedIsNotRunning() throws Exception {
    ProcessHandle process = sleeper();
    ChildProcess child = ChildProcess.of("moto_server", process).orElseThrow();
    sleeper.destroyForcibly();
    assertThat(sleeper.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(child.stillRunning()).isEmpty();
    assertThat(child.stillRunning(pid -> Optional.of(process)))
        .as("even while its handle is still at hand")
        .isEmpty();
  }
}
