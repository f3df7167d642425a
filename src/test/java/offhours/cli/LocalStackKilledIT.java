// Needs moto_server, and node/npm for the first conversion of the default model into the shared
// cache.
package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import offhours.cache.CacheDirectory;
import offhours.local.ChildProcess;
import offhours.local.StateFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local stack whose own process is killed outright ({@code kill -9}) runs no shutdown hook, so its moto_server
 * outlives it; {@code local stop} ends it from the state file's record.
 */
class LocalStackKilledIT {
  @TempDir
  Path cache;

  private CliRun run(String... args) {
    return CliRun.run(cache, Clock.systemUTC(), () -> null, Commands.all(), args);
  }

  @Test
  void localStopAfterTheStackWasKilledEndsItsMotoServer() throws Exception {
    // The model conversion is shared with the other tests; the state file and logs are this test's.
    Path sharedModels = Files.createDirectories(CacheDirectory.ofThisProcess().resolve("models"));
    Files.createSymbolicLink(cache.resolve("models"), sharedModels);
    ProcessHandle stack = null;
    ProcessHandle moto = null;
    try {
      CliRun start = run("local", "start");
      assertThat(start.exitCode()).as("local start: %s", start.err()).isZero();
      StateFile state = StateFile.read(StateFile.path(cache));
      stack = ProcessHandle.of(state.pid()).orElseThrow();
      assertThat(state.children()).as("the processes the stack started").hasSize(1);
      ChildProcess recorded = state.children().getFirst();
      moto = recorded.stillRunning().orElseThrow();
      assertThat(moto.info().commandLine().orElse(""))
          .as("the recorded child")
          .contains("moto_server");

      stack.destroyForcibly(); // SIGKILL: no shutdown hook runs
      assertThat(stack.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
      assertThat(moto.isAlive()).as("moto_server outlives the killed stack").isTrue();

      CliRun stop = run("local", "stop");

      assertThat(stop.exitCode()).isZero();
      assertThat(stop.out())
          .startsWith("the local stack is not running; removed its stale state file")
          .endsWith("; ended moto_server (pid " + moto.pid()
              + "), which it had started and left running\n");
      assertThat(moto.onExit().get(30, TimeUnit.SECONDS).isAlive())
          .as("moto_server after local stop")
          .isFalse();
      assertThat(StateFile.path(cache)).doesNotExist();
    } finally {
      if (stack != null) {
        stack.destroyForcibly(); // only what this test started, by pid
      }
      if (moto != null) {
        moto.destroyForcibly();
      }
      Files.deleteIfExists(cache.resolve("models")); // the link only: the shared models stay
    }
  }
}
