package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import offhours.local.StateFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code offhours ui} refusals that need no stack to answer: it fails before it serves anything. */
class UiCommandTest {

  @TempDir
  Path cache;

  @Test
  void aPortInUseIsNamedWithWhatToDoInstead() throws Exception {
    TestStateFiles.state(
            ProcessHandle.current().pid(),
            TestStateFiles.endpoints(),
            Map.of(
                "bucket", "offhours-images",
                "queueUrl", "http://127.0.0.1:1/123/offhours-queue",
                "dlqUrl", "http://127.0.0.1:1/123/offhours-dlq",
                "resultsTable", "offhours-results",
                "controlTable", "offhours-control",
                "endpoint", "offhours-endpoint"))
        .write(StateFile.path(cache));
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();

      CliRun run = CliRun.run(
          cache,
          CliRun.CLOCK,
          () -> null,
          Commands.all(),
          "ui",
          "--port",
          String.valueOf(port),
          "--time-zone",
          "UTC",
          "--price",
          "0.115");

      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err())
          .startsWith("offhours: 127.0.0.1:" + port + " is in use by another program (")
          .endsWith("); choose another --port, or leave --port out for a free one\n");
      assertThat(run.out()).as("no address of a page that is not served").isEmpty();
    }
  }
}
