package offhours.local.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import offhours.local.process.ProcessRecorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing a container command's container ends its shell and what the shell forked, also a server that does not end
 * on SIGTERM. Needs {@code sh} and {@code sleep}.
 */
class CommandContainerCloseTest {
  @TempDir
  Path logs;

  private final List<ProcessHandle> started = new ArrayList<>();

  @AfterEach
  void endWhatThisTestStarted() {
    started.forEach(ProcessHandle::destroyForcibly); // only these, by their handles
  }

  @Test
  void closeEndsWhatTheShellForkedThoughItIgnoresSigterm() throws Exception {
    // The server runs in a child of the shell, and ignores SIGTERM (kept across its exec): the
    // shell ends at once on SIGTERM, and a close that waited for the shell only left it running.
    String command = "(trap '' TERM; exec sleep 300); true";
    CommandLauncher.CommandContainer container =
        (CommandLauncher.CommandContainer) new CommandLauncher(logs, command, ProcessRecorder.NONE)
            .launch(new ContainerSpec("e", LocalSageMaker.COMMAND_IMAGE, null, Map.of()));
    ProcessHandle shell = container.process().toHandle();
    started.add(shell);
    ProcessHandle server = awaitExeced(shell);
    started.add(server);

    container.close();

    assertThat(shell.onExit().get(60, TimeUnit.SECONDS).isAlive())
        .as("the shell")
        .isFalse();
    assertThat(server.onExit().get(60, TimeUnit.SECONDS).isAlive())
        .as("the server that ignores SIGTERM")
        .isFalse();
  }

  /** What {@code shell} forked, once it runs its own program (a minute at most). */
  private static ProcessHandle awaitExeced(ProcessHandle shell) throws InterruptedException {
    String sh = shell.info().command().orElseThrow();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (System.nanoTime() - deadline < 0) {
      ProcessHandle child = shell.descendants().findFirst().orElse(null);
      if (child != null && !child.info().command().orElse(sh).equals(sh)) {
        return child;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the shell's child did not run its command within a minute");
  }
}
