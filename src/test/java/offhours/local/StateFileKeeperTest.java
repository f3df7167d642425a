package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The running stack's state file: written once the stack is up, rewritten at each change, never after it stopped. */
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

  private StateFileKeeper keeper() {
    return new StateFileKeeper(
        file(),
        () -> new StateFile(
            7L,
            "2026-12-04T17:59:00Z",
            "us-east-1",
            "AKID",
            "secret",
            Map.of(),
            Map.of(),
            Map.of(),
            Map.of(),
            children.get()),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void nothingIsWrittenBeforeTheStackIsUp() {
    StateFileKeeper keeper = keeper();

    keeper.changed(); // moto_server started: the stack is not up yet

    assertThat(file()).doesNotExist();
  }

  @Test
  void aChangeAfterTheFirstWriteRewritesTheFile() throws Exception {
    StateFileKeeper keeper = keeper();
    assertThat(keeper.write().children()).hasSize(1);

    children.set(List.of(children.get().getFirst(), CONTAINER));
    keeper.changed();
    assertThat(StateFile.read(file()).children()).endsWith(CONTAINER);

    children.set(List.of(children.get().getFirst()));
    keeper.changed(); // its endpoint stopped
    assertThat(StateFile.read(file()).children()).doesNotContain(CONTAINER);
  }

  @Test
  void afterRemoveTheFileIsGoneAndWhatEndsMeanwhileDoesNotBringItBack() throws Exception {
    StateFileKeeper keeper = keeper();
    keeper.write();

    keeper.remove();
    keeper.changed(); // the stack's processes end as it closes
    keeper.write(); // a signal stopped the stack before it was up

    assertThat(file()).doesNotExist();
  }

  @Test
  void aRewriteThatFailsSaysWhatMayBeLeftRunning() throws Exception {
    StateFileKeeper keeper = keeper();
    keeper.write();
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
