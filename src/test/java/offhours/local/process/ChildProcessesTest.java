package offhours.local.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import offhours.local.process.ProcessRecorder.StartRefused;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stack's processes are started and recorded in one step, recorded while they run and forgotten once they end,
 * each change told to the state file's writer; once a stop has asked what runs, nothing more is started. Needs
 * {@code sh}, {@code sleep} and {@code true} for real processes to record.
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

  /** Starts {@code command} through the recorder, as the stack does, and ends it after the test. */
  private ProcessHandle start(String name, String... command) throws IOException {
    ProcessHandle process = children.start(name, new ProcessBuilder(command)).toHandle();
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
    ProcessHandle moto = start("moto_server", "sleep", "60");
    ProcessHandle container = start("container of endpoint e", "sleep", "60");

    assertThat(nextChange()).containsExactly(record("moto_server", moto));
    assertThat(nextChange())
        .containsExactly(record("moto_server", moto), record("container of endpoint e", container));

    container.destroy(); // as stopping its endpoint does

    assertThat(nextChange()).containsExactly(record("moto_server", moto));
    assertThat(children.recorded()).containsExactly(record("moto_server", moto));
  }

  @Test
  void aProcessThatEndsOnItsOwnIsForgottenToo() throws Exception {
    // Ended before the start returns: the recorder finds it gone at once.
    Process quick = children.start("container of endpoint e", () -> {
      Process p = new ProcessBuilder("true").start();
      try {
        p.waitFor();
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      return p;
    });

    assertThat(quick.isAlive()).isFalse();
    assertThat(nextChange()).as("at its start").isEmpty();
    assertThat(nextChange()).as("once it ended").isEmpty();
    assertThat(children.recorded()).isEmpty();
  }

  @Test
  void whatAProcessForkedIsRecordedUnderItsName() throws Exception {
    // A container command whose shell runs the server in a child ('cd dir && python serve.py').
    ProcessHandle shell = start("container of endpoint e", "/bin/sh", "-c", "sleep 60; true");
    ProcessHandle server = null;
    while (server == null) {
      server = shell.descendants().findFirst().orElse(null);
      Thread.sleep(10);
    }
    started.add(server);

    assertThat(children.recorded())
        .containsExactly(
            record("container of endpoint e", shell), record("container of endpoint e", server));
  }

  @Test
  void onceTheStackStopsBeforeItIsUpWhatRunsIsReturnedAndNothingMoreIsStarted() throws Exception {
    ProcessHandle moto = start("moto_server", "sleep", "60");
    nextChange();

    List<ChildProcess> toEnd = children.refuseFromNowOn();
    // The start-up went on meanwhile: the JVM exits before it could end what it started now.
    AtomicBoolean spawned = new AtomicBoolean();
    assertThatThrownBy(() -> children.start("container of endpoint e", () -> {
          spawned.set(true);
          return new ProcessBuilder("sleep", "60").start();
        }))
        .isInstanceOf(StartRefused.class)
        .hasMessage("the local stack is stopping: container of endpoint e was not started");

    assertThat(spawned).as("the late one was started").isFalse();
    assertThat(toEnd).containsExactly(record("moto_server", moto));
    assertThat(children.recorded()).containsExactly(record("moto_server", moto));
    assertThat(changes).as("no change told for the late one").isEmpty();
  }

  @Test
  void aProcessBeingStartedWhenTheStopAsksWhatRunsIsInTheAnswer() throws Exception {
    // The start-up is between the fork and the record (a SIGTERM's stop used to miss such a
    // process, end the rest, and exit the JVM: it ran on, its parent gone).
    CountDownLatch forked = new CountDownLatch(1);
    CountDownLatch goOn = new CountDownLatch(1);
    CompletableFuture<Process> startUp = new CompletableFuture<>();
    Thread.ofPlatform().daemon().start(() -> {
      try {
        startUp.complete(children.start("moto_server", () -> {
          Process p = new ProcessBuilder("sleep", "60").start();
          started.add(p.toHandle());
          forked.countDown();
          try {
            goOn.await();
          } catch (InterruptedException e) {
            throw new IOException(e);
          }
          return p;
        }));
      } catch (IOException | RuntimeException e) {
        startUp.completeExceptionally(e);
      }
    });
    forked.await();

    CompletableFuture<List<ChildProcess>> asked = new CompletableFuture<>();
    Thread stop =
        Thread.ofPlatform().daemon().start(() -> asked.complete(children.refuseFromNowOn()));
    // The stop waits for the start, or has answered without it.
    while (!asked.isDone() && stop.getState() != Thread.State.BLOCKED) {
      Thread.sleep(1);
    }
    goOn.countDown();

    ProcessHandle moto = startUp.get(30, TimeUnit.SECONDS).toHandle();
    assertThat(asked.get(30, TimeUnit.SECONDS))
        .as("what the stop ends")
        .containsExactly(record("moto_server", moto));
  }

  @Test
  void whatAStackStartsCarriesItsMarkAndWhatThatForksToo() throws Exception {
    StackMark mark = new StackMark("1@" + java.util.UUID.randomUUID());
    ChildProcesses marked = new ChildProcesses(Optional.of(mark));
    ProcessHandle shell = marked
        .start("container of endpoint e", new ProcessBuilder("/bin/sh", "-c", "sleep 60; true"))
        .toHandle();
    started.add(shell);
    ProcessHandle server = null;
    while (server == null) {
      server = shell.descendants().findFirst().orElse(null);
      Thread.sleep(10);
    }
    started.add(server);

    assertThat(mark.running()).containsExactlyInAnyOrder(shell, server);
    assertThat(new StackMark("1@" + java.util.UUID.randomUUID()).running())
        .as("another stack's mark")
        .isEmpty();
  }

  @Test
  void aProcessThatIsExecingIsFoundByTheMarkToo() throws Exception {
    // A shell that execs itself every 5 ms, as a launcher (pyenv's shim) execs as it starts: its
    // environment reads empty for a moment each time (about 5% of reads here). Each search must
    // still find it; a search that read it once would miss it in about 5 of every 100.
    StackMark mark = new StackMark("1@" + java.util.UUID.randomUUID());
    String again = "sleep 0.005; exec /bin/sh -c \"$0\" \"$0\"";
    ProcessHandle shell = new ChildProcesses(Optional.of(mark))
        .start("container of endpoint e", new ProcessBuilder("/bin/sh", "-c", again, again))
        .toHandle();
    started.add(shell);

    int missed = 0;
    for (int search = 0; search < 100; search++) {
      missed += mark.running().contains(shell) ? 0 : 1;
    }
    assertThat(missed).as("searches of 100 that missed the execing shell").isZero();
  }
}
