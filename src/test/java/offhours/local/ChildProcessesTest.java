package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stack's processes are recorded while they run and forgotten once they end, each change told to the state
 * file's writer. Needs {@code sh} and {@code sleep} for real processes to record.
 */
class ChildProcessesTest {
  private final List<ProcessHandle> started = new ArrayList<>();
  private final ChildProcesses children = new ChildProcesses();
  /** What the recorded processes were at each change. */
  private final BlockingQueue<List<ChildProcess>> changes = new LinkedBlockingQueue<>();

  @BeforeEach
  void listen() {
    children.onChange(() -> changes.add(children.recorded()));
  }

  @AfterEach
  void endWhatThisTestStarted() {
    started.forEach(ProcessHandle::destroyForcibly); // only these, by their handles
  }

  private ProcessHandle start(String... command) throws IOException {
    ProcessHandle process = new ProcessBuilder(command).start().toHandle();
    started.add(process);
    return process;
  }

  private static ChildProcess record(String name, ProcessHandle process) {
    return ChildProcess.of(name, process).orElseThrow();
  }

  /** The next change; a bound so that a change that never comes fails the test instead of hanging it. */
  private List<ChildProcess> nextChange() throws InterruptedException {
    List<ChildProcess> change = changes.poll(30, TimeUnit.SECONDS);
    assertThat(change).as("a change was told").isNotNull();
    return change;
  }

  @Test
  void aProcessIsRecordedWhileItRunsAndForgottenOnceItEnds() throws Exception {
    ProcessHandle moto = start("sleep", "60");
    ProcessHandle container = start("sleep", "60");

    children.started("moto_server", moto);
    children.started("container of endpoint e", container);

    assertThat(nextChange()).containsExactly(record("moto_server", moto));
    assertThat(nextChange())
        .containsExactly(record("moto_server", moto), record("container of endpoint e", container));

    container.destroy(); // as stopping its endpoint does

    assertThat(nextChange()).containsExactly(record("moto_server", moto));
    assertThat(children.recorded()).containsExactly(record("moto_server", moto));
  }

  @Test
  void aProcessThatEndsOnItsOwnIsForgottenToo() throws Exception {
    ProcessHandle quick = start("true");
    quick.onExit().get(30, TimeUnit.SECONDS);

    children.started("container of endpoint e", quick);

    assertThat(nextChange()).as("at its start").isEmpty();
    assertThat(nextChange()).as("once it ended").isEmpty();
    assertThat(children.recorded()).isEmpty();
  }

  @Test
  void whatAProcessForkedIsRecordedUnderItsName() throws Exception {
    // A container command whose shell runs the server in a child ('cd dir && python serve.py').
    ProcessHandle shell = start("/bin/sh", "-c", "sleep 60; true");
    ProcessHandle server = null;
    while (server == null) {
      server = shell.descendants().findFirst().orElse(null);
      Thread.sleep(10);
    }
    started.add(server);

    children.started("container of endpoint e", shell);

    assertThat(children.recorded())
        .containsExactly(
            record("container of endpoint e", shell), record("container of endpoint e", server));
  }

  @Test
  void onceTheStackStopsBeforeItIsUpWhatRunsIsReturnedAndWhatStartsLaterIsEndedAtOnce()
      throws Exception {
    ProcessHandle moto = start("sleep", "60");
    children.started("moto_server", moto);
    nextChange();

    List<ChildProcess> toEnd = children.refuseFromNowOn();
    // The start-up went on meanwhile: the JVM exits before it could end this one.
    ProcessHandle late = start("sleep", "60");
    children.started("container of endpoint e", late);

    assertThat(toEnd).containsExactly(record("moto_server", moto));
    assertThat(late.onExit().get(30, TimeUnit.SECONDS).isAlive())
        .as("the late one")
        .isFalse();
    assertThat(children.recorded()).containsExactly(record("moto_server", moto));
    assertThat(changes).as("no change told for the late one").isEmpty();
  }
}
