package offhours.local.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A process between two programs reads with no command line for a moment; what is asked of it is asked again until it
 * says. Needs {@code sh}, {@code sleep} and {@code true}.
 */
class ProcessReadsTest {
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void endWhatThisTestStarted() {
    started.forEach(Process::destroyForcibly); // only these, by their handles
  }

  /** A shell that execs itself every 5 ms, as a launcher (pyenv's shim) execs as it starts. */
  private ProcessHandle execingShell() throws Exception {
    String again = "sleep 0.005; exec /bin/sh -c \"$0\" \"$0\"";
    Process shell = new ProcessBuilder("/bin/sh", "-c", again, again).start();
    started.add(shell);
    return shell.toHandle();
  }

  @Test
  void aProcessThatIsExecingSaysItsCommandLine() throws Exception {
    // Its command line reads empty for a moment at each exec: each ask must still get it, where
    // one read missed 10 to 17 of these 500 here (a millisecond apart, so that they span about a
    // hundred execs).
    ProcessHandle shell = execingShell();

    int missed = 0;
    for (int ask = 0; ask < 500; ask++) {
      missed += ProcessReads.commandLine(shell).orElse("").contains("exec /bin/sh") ? 0 : 1;
      Thread.sleep(1);
    }

    assertThat(missed).as("asks of 500 that got no command line").isZero();
  }

  @Test
  void aProcessThatEndedHasNoCommandLine() throws Exception {
    Process ended = new ProcessBuilder("true").start();
    assertThat(ended.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(ProcessReads.commandLine(ended.toHandle())).isEmpty();
  }

  @Test
  void askedUntilReadsAgainOnlyWhatIsNotSettledAndKeepsTheOrder() throws Exception {
    ProcessHandle me = ProcessHandle.current();
    ProcessHandle shell = execingShell();
    int[] reads = new int[2];

    List<String> answers = ProcessReads.askedUntil(
        List.of(me, shell),
        p -> {
          int i = p.equals(me) ? 0 : 1;
          reads[i]++;
          return i == 0 ? "settled" : "read " + reads[i];
        },
        (p, answer) -> !answer.equals("read 1") && !answer.equals("read 2"));

    assertThat(answers).containsExactly("settled", "read 3");
    assertThat(reads).containsExactly(1, 3);
  }
}
