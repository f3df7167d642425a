package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import offhours.local.process.ChildProcess;
import offhours.local.process.ChildProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack's state file: starting from its first write (with what the stack started so far), up once the stack is,
 * rewritten at each change, never after it stopped.
 */
class StateFileKeeperTest {
  @TempDir
  Path dir;

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final AtomicReference<List<ChildProcess>> children =
      new AtomicReference<>(List.of(new ChildProcess("moto_server", 41, "2026-12-04T18:00:00Z")));

  private static final ChildProcess CONTAINER =
      new ChildProcess("container of endpoint e", 42, "2026-12-04T18:05:00Z");

  private Path file() {
    return StateFile.path(dir);
  }

  /** The stack's state once it is up. */
  private StateFile up() {
    return new StateFile(
        7L,
        "2026-12-04T17:59:00Z",
        "us-east-1",
        "AKID",
        "secret",
        Map.of(),
        Map.of(),
        Map.of(),
        Map.of(),
        children.get(),
        null,
        null);
  }

  private StateFileKeeper keeper() {
    return new StateFileKeeper(
        file(),
        () -> StateFile.starting(ProcessHandle.current(), children.get()),
        new ChildProcesses(),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void aProcessStartedWhileTheStackStartsIsRecordedInAStartingFile() throws Exception {
    StateFileKeeper keeper = keeper();
    keeper.write(); // local run, before anything is started

    keeper.changed(); // moto_server started: the stack is not up yet

    StateFile starting = StateFile.read(file());
    assertThat(starting.stillStarting()).as("starting").isTrue();
    assertThat(starting.children()).extracting(ChildProcess::name).containsExactly("moto_server");
    assertThat(starting.credentials()).as("nothing to work with yet").isEmpty();
  }

  @Test
  void upReplacesTheStartingFileAndLaterChangesKeepItUp() throws Exception {
    StateFileKeeper keeper = keeper();
    keeper.write();

    assertThat(keeper.up(this::up).stillStarting()).isFalse();
    assertThat(StateFile.read(file()).stillStarting()).as("up").isFalse();
    assertThat(StateFile.read(file()).credentials()).isPresent();

    children.set(List.of(children.get().getFirst(), CONTAINER));
    keeper.changed();
    assertThat(StateFile.read(file()).stillStarting()).as("still up").isFalse();
    assertThat(StateFile.read(file()).children()).endsWith(CONTAINER);

    children.set(List.of(children.get().getFirst()));
    keeper.changed(); // its endpoint stopped
    assertThat(StateFile.read(file()).children()).doesNotContain(CONTAINER);
  }

  @Test
  void stoppingWhileStartingRemovesTheFileAndUpWritesNothingAfterIt() throws Exception {
    StateFileKeeper keeper = keeper();
    keeper.write();

    assertThat(keeper.stopStarting()).as("nothing this test started runs").isEmpty();
    keeper.changed();
    keeper.up(this::up); // the start-up finished as the signal's stop ran

    assertThat(file()).doesNotExist();
  }

  @Test
  void afterRemoveTheFileIsGoneAndWhatEndsMeanwhileDoesNotBringItBack() throws Exception {
    StateFileKeeper keeper = keeper();
    keeper.write();

    keeper.up(this::up);

    keeper.remove();
    keeper.changed(); // the stack's processes end as it closes
    keeper.write();

    assertThat(file()).doesNotExist();
  }

  @Test
  void aRewriteThatFailsSaysWhatMayBeLeftRunning() throws Exception {
    StateFileKeeper keeper = keeper();
    keeper.up(this::up);
    // A directory where the file's temporary sibling would go: the atomic write cannot happen.
    java.nio.file.Files.createDirectories(dir.resolve("local"));
    java.nio.file.Files.delete(file());
    java.nio.file.Files.createDirectory(file());

    keeper.changed();

    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("could not record the local stack's processes in " + file() + " (")
        .endsWith("); should the stack be killed outright, 'local stop' may not find them all\n");
  }
}
