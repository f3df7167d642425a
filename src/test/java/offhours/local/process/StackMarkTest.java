package offhours.local.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A process's environment is read whole, or as none while it execs: never cut short. Needs {@code sh}, {@code sleep}.
 */
class StackMarkTest {

  @Test
  void anExecingProcessesEnvironmentReadsWholeOrEmptyNeverCut() throws Exception {
    // A shell that execs itself every 5 ms. Read in two parts (a byte, then the rest, as
    // Files.readAllBytes reads /proc/PID/environ), an exec between them ended the file after the
    // first byte: 3 to 27 of these 20000 reads in each of 5 runs here, each without the mark.
    StackMark mark = new StackMark("1@" + UUID.randomUUID());
    String again = "sleep 0.005; exec /bin/sh -c \"$0\" \"$0\"";
    ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", again, again);
    mark.putInto(builder.environment());
    Process shell = builder.start();
    try {
      int cut = 0;
      for (int read = 0; read < 20_000; read++) {
        Optional<List<String>> environment = ProcessEnvironment.of(shell.toHandle());
        boolean whole = environment.orElseThrow().contains(StackMark.VARIABLE + "=" + mark.value());
        cut += whole || environment.get().isEmpty() ? 0 : 1;
      }
      assertThat(cut).as("reads of 20000 neither whole nor empty").isZero();
    } finally {
      shell.destroyForcibly(); // only this one, by its handle
    }
  }
}
