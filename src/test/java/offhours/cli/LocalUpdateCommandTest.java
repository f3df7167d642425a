package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import offhours.local.ControlSocket;
import offhours.local.ModelUpdate;
import offhours.local.StateFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code local update}: the options it checks before it reaches the stack, in {@code local start}'s words, and what it
 * says without a running stack. What the stack itself refuses (an update that changes nothing) is ModelSwitchTest's,
 * and how it travels ControlSocketTest's.
 */
class LocalUpdateCommandTest {

  @TempDir
  Path cache;

  @TempDir
  Path dir;

  @Test
  void anUpdateThatNamesNoModelNorSettingIsAUsageError() {
    CliRun nothing = run("local", "update");

    assertThat(nothing.exitCode()).isEqualTo(2);
    assertThat(nothing.err())
        .isEqualTo("offhours: give the new model: at least one of --model, --container-command,"
            + " --labels, --content-type, --accept, --normalize, --resize, --resample and --input-size; see"
            + " 'offhours local update --help'\n");
  }

  @Test
  void itChecksItsFilesAndSettingsAsLocalStartDoesBeforeReachingTheStack() throws IOException {
    Path labels = Files.writeString(dir.resolve("labels.txt"), "cat\ndog\n");
    CliRun missingModel = run(
        "local",
        "update",
        "--model",
        dir.resolve("modle.onnx").toString(),
        "--labels",
        labels.toString());
    assertThat(missingModel.exitCode()).isEqualTo(2);
    assertThat(missingModel.err())
        .isEqualTo(
            "offhours: model file '" + dir.resolve("modle.onnx")
                + "' does not exist; give the path of an ONNX model; see 'offhours local update --help'\n");
    assertThat(run("local", "update", "--labels", dir.toString()).err())
        .isEqualTo("offhours: labels file '" + dir + "' is a folder; see 'offhours local update"
            + " --help'\n");
    Path empty = Files.writeString(dir.resolve("empty.txt"), "\n");
    assertThat(run("local", "update", "--labels", empty.toString()).exitCode()).isEqualTo(2);
    Path model = Files.writeString(dir.resolve("model.onnx"), "not checked here");
    CliRun noLabels = run("local", "update", "--model", model.toString());
    assertThat(noLabels.exitCode()).isEqualTo(2);
    assertThat(noLabels.err())
        .isEqualTo("offhours: --labels FILE is required with --model: one class name per line, in"
            + " the order of the model's outputs; see 'offhours local update --help'\n");
    assertThat(
            run("local", "update", "--container-command", "python3 a.py\nrm x").err())
        .startsWith(
            "offhours: --container-command has a control character (\\x0a) at character 13");
    assertThat(run("local", "update", "--accept", "json").err())
        .contains("--accept must be a media type like application/json");
    assertThat(run("local", "update", "--content-type", "").err())
        .startsWith("offhours: --content-type is empty; give a media type");
  }

  @Test
  void withoutARunningStackItSaysThereIsNoModelToReplaceAndToStartOne() throws IOException {
    Path labels = Files.writeString(dir.resolve("labels.txt"), "cat\ndog\n");

    CliRun update = run("local", "update", "--labels", labels.toString());

    assertThat(update.exitCode()).isEqualTo(1);
    assertThat(update.err())
        .isEqualTo(
            "offhours: the local stack is not running, so there is no model to replace:"
                + " start it with the new model ('scripts/offhours local start' with the same options)\n");
    assertThat(StateFile.path(cache)).as("nothing started").doesNotExist();
  }

  /**
   * Over a running stack (a stand-in process its state file names): without its control socket the command says it
   * cannot reach it; through the socket, the stack's refusal is the command's error, and its answer is said.
   */
  @Test
  void theStacksRefusalIsTheCommandsErrorAndItsAnswerIsSaid() throws Exception {
    Process stack = new ProcessBuilder("sleep", "60").start();
    try {
      TestStateFiles.state(stack.pid(), TestStateFiles.endpoints()).write(StateFile.path(cache));
      Path labels = Files.writeString(dir.resolve("labels.txt"), "cat\ndog\n");

      CliRun unreachable = run("local", "update", "--labels", labels.toString());
      assertThat(unreachable.exitCode()).isEqualTo(1);
      assertThat(unreachable.err())
          .startsWith("offhours: cannot reach the local stack (pid " + stack.pid() + ") on "
              + ControlSocket.path(cache));

      List<ModelUpdate> received = new CopyOnWriteArrayList<>();
      try (ControlSocket control = ControlSocket.open(ControlSocket.path(cache), update -> {
        received.add(update);
        if (received.size() == 1) {
          throw new IllegalArgumentException("nothing changed: the local stack serves this model"
              + " with these labels and settings already");
        }
        return Map.of("model", "offhours-model-2", "endpointConfig", "offhours-endpoint-config-2");
      })) {
        CliRun refused = run("local", "update", "--labels", labels.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err())
            .isEqualTo("offhours: nothing changed: the local stack serves this model with these"
                + " labels and settings already\n");

        CliRun updated = run(
            "local",
            "update",
            "--labels",
            labels.toString(),
            "--accept",
            "text/csv",
            "--resize",
            "Crop",
            "--resample",
            "AntiAlias",
            "--input-size",
            "224x224",
            "--json");
        assertThat(updated.exitCode()).as(updated.err()).isZero();
        assertThat(updated.err())
            .isEqualTo("the local stack (pid " + stack.pid() + ") serves model offhours-model-2 now"
                + " (endpoint config offhours-endpoint-config-2); its controller replaces the endpoint"
                + " at its next run, and uploads wait in the queue meanwhile\n");
        assertThat(updated.out()).contains("\"running\":true");
      }
      assertThat(received)
          .last()
          .isEqualTo(new ModelUpdate(
              Optional.empty(),
              Optional.of(labels.toAbsolutePath()),
              Optional.empty(),
              Map.of(
                  "ACCEPT",
                  "text/csv",
                  "RESIZE",
                  "crop",
                  "RESAMPLE",
                  "antialias",
                  "INPUT_SIZE",
                  "224")));
    } finally {
      stack.destroy();
    }
  }

  /** A stack that took the update and did not answer in time: the command says so, and how to see what it serves. */
  @Test
  void aStackThatDoesNotAnswerInTimeIsSaidWithHowToCheckTheUpdate() {
    assertThat(LocalUpdateCommand.noAnswer(
            4242L, new ControlSocket.NoAnswer(ControlSocket.ANSWER_BOUND)))
        .isEqualTo("the local stack (pid 4242) did not answer within 30 s (stopped, say with"
            + " Ctrl-Z, or hung): the update may still be applied once it goes on;"
            + " 'scripts/offhours local status' shows the model it serves");
  }

  /**
   * A cache folder so deep that its control socket's path is too long for a Unix socket: the stack ran without one, and
   * the command says why rather than taking it for a stack of an older version that a restart would mend.
   */
  @Test
  void aControlSocketPathTooLongForAUnixSocketIsSaidAsTheReason() throws Exception {
    Path deep = dir.resolve("c".repeat(120));
    Process stack = new ProcessBuilder("sleep", "60").start();
    try {
      TestStateFiles.state(stack.pid(), TestStateFiles.endpoints()).write(StateFile.path(deep));
      Path labels = Files.writeString(dir.resolve("labels.txt"), "cat\ndog\n");

      CliRun update = CliRun.offline(deep, "local", "update", "--labels", labels.toString());

      assertThat(update.exitCode()).isEqualTo(1);
      assertThat(update.err())
          .startsWith("offhours: the local stack (pid " + stack.pid() + ") takes no update: its"
              + " control socket " + ControlSocket.path(deep) + " could not be opened, as its path"
              + " is " + ControlSocket.path(deep).toString().length() + " bytes, longer than the")
          .contains("start it with the new model, or from a cache folder of a shorter path")
          .doesNotContain("older version");
    } finally {
      stack.destroy();
    }
  }

  @Test
  void itsHelpNamesTheModelFlagsAndNotThoseOfANewStack() {
    String help = run("local", "update", "--help").out();

    assertThat(help)
        .contains("--model FILE", "--labels FILE", "--container-command CMD", "--content-type TYPE")
        .contains(
            "--accept TYPE",
            "--normalize HOW",
            "--resize HOW",
            "--resample HOW",
            "--input-size SIZE")
        .doesNotContain("--hosting", "--time-zone");
    assertThat(run("local", "update", "--hosting", "serverless").exitCode())
        .as("--hosting: a new stack's, not an update's")
        .isEqualTo(2);
  }

  private CliRun run(String... args) {
    return CliRun.offline(cache, args);
  }
}
