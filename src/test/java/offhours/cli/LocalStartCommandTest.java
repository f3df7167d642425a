package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import offhours.local.ControlSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code local start} says of a stack that came up without its control socket: one line, which names why when
 * the socket's path is too long and the stack's log otherwise; nothing when the stack listens. And which of two
 * faults of its model options it names first.
 */
class LocalStartCommandTest {

  @TempDir
  Path dir;

  @Test
  void aStackWithoutItsControlSocketIsSaidWithWhy() throws Exception {
    Path deep = dir.resolve("c".repeat(120));
    Path socket = ControlSocket.path(deep);
    Path log = dir.resolve("stack.log");

    assertThat(LocalStartCommand.withoutControlSocket(deep, log))
        .contains("the local stack runs, but takes no model update ('local update'): its control"
            + " socket " + socket + " could not be opened, as its path is "
            + socket.toString().length() + " bytes, longer than the "
            + (System.getProperty("os.name").contains("Linux") ? 107 : 103)
            + " a Unix socket's may have; start it from a cache folder of a shorter path"
            + " (OFFHOURS_CACHE) to update its model");

    Path cache = dir.resolve("cache");
    assertThat(LocalStartCommand.withoutControlSocket(cache, log))
        .as("a socket of a short path that the stack could not open")
        .contains("the local stack runs, but takes no model update ('local update'): its control"
            + " socket " + ControlSocket.path(cache) + " could not be opened (its log " + log
            + " says why)");
    try (ControlSocket listening =
        ControlSocket.open(ControlSocket.path(cache), update -> Map.of())) {
      assertThat(LocalStartCommand.withoutControlSocket(cache, log))
          .as("a stack that listens")
          .isEmpty();
    }
  }

  /** Both models given is the fault to name: asking for --labels first sent the user to a second refusal. */
  @Test
  void aModelAndAContainerCommandAreRefusedAsBothBeforeTheModelsLabelsAreAskedFor()
      throws Exception {
    Path model = Files.writeString(dir.resolve("model.onnx"), "not read: refused before");
    for (List<String> command :
        List.of(List.of("local", "start"), List.of("local", "run"), List.of("demo"))) {
      List<String> args = new java.util.ArrayList<>(command);
      args.addAll(List.of("--model", model.toString(), "--container-command", "python3 serve.py"));

      CliRun run = CliRun.offline(dir.resolve("cache"), args.toArray(String[]::new));

      assertThat(run.exitCode()).as("%s", command).isEqualTo(2);
      assertThat(run.err())
          .as("%s", command)
          .isEqualTo(
              "offhours: choose one of --model and --container-command, not both; see 'offhours "
                  + String.join(" ", command) + " --help'\n");
    }
  }
}
