package offhours.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import offhours.local.ControlSocket;
import offhours.local.ModelUpdate;
import offhours.local.StateFile;

/**
 * {@code local update}: a new model for the running local stack, the local twin of a stack update that changes the
 * model on AWS. The stack's process does what CloudFormation does ({@code offhours.local.ModelSwitch}); this command
 * checks the options as {@code local start} does and hands them over its control socket ({@link ControlSocket}).
 */
final class LocalUpdateCommand implements Command {

  @Override
  public String name() {
    return "update";
  }

  @Override
  public String summary() {
    return "give the running local stack a new model, as a stack update does on AWS";
  }

  @Override
  public List<Option> options() {
    return Stream.concat(ModelOptions.OPTIONS.stream(), Stream.of(Option.JSON)).toList();
  }

  @Override
  public String description() {
    return """
        What is given changes, the rest stays; a new --model or --container-command comes with its own
        --labels (or none, when its answers name their classes), and a new --model with its own --normalize,
        --resize, --resample and --input-size (the default's, or none, when not given). The stack creates a
        new model and endpoint config (offhours-model-2, offhours-endpoint-config-2, ...) and switches its
        functions to them; its controller then replaces the endpoint at its next run (pause, drain, delete,
        create, test), and uploads wait in the queue meanwhile. Uploads, results, queues and the savings
        ledger stay. As a stack update of a deployed stack, see README "A new model: replacing the endpoint".
        """;
  }

  @Override
  public int run(Invocation call) throws Exception {
    List<Option> given = ModelOptions.OPTIONS.stream()
        .filter(o -> call.args().value(o.name()).isPresent())
        .toList();
    if (given.isEmpty()) {
      throw CliException.usage(
          "give the new model: at least one of --model, --container-command,"
              + " --labels, --content-type, --accept, --normalize, --resize, --resample and --input-size");
    }
    ModelOptions chosen = ModelOptions.of(call);
    ModelUpdate update;
    try {
      update = new ModelUpdate(
          chosen.model(), chosen.labels(), chosen.containerCommand(), chosen.settings());
    } catch (IllegalArgumentException e) {
      throw CliException.usage(e.getMessage());
    }
    Path cache = call.context().cacheDir();
    Optional<StateFile> running = StackProcess.running(StateFile.path(cache));
    if (running.isEmpty()) {
      throw CliException.failure("the local stack is not running, so there is no model to replace:"
          + " start it with the new model ('scripts/offhours local start' with the same options)");
    }
    StateFile was = running.get();
    if (was.stillStarting()) {
      throw CliException.failure("the local stack is starting (pid " + was.pid() + "); update its"
          + " model once it is up ('scripts/offhours local status' says when)");
    }
    ControlSocket.UpdateAnswer answer;
    try {
      answer = ControlSocket.send(ControlSocket.path(cache), update);
    } catch (ControlSocket.NoAnswer e) {
      throw CliException.failure(noAnswer(was.pid(), e));
    } catch (IOException e) {
      Optional<String> tooLong = ControlSocket.tooLong(ControlSocket.path(cache));
      if (tooLong.isPresent()) {
        // The stack could not open it either: restarting it from the same folder does not help.
        throw CliException.failure("the local stack (pid " + was.pid() + ") takes no update: its"
            + " control socket " + ControlSocket.path(cache) + " could not be opened, as "
            + tooLong.get() + "; to update its model, stop it and start it with the new model,"
            + " or from a cache folder of a shorter path (OFFHOURS_CACHE)");
      }
      throw CliException.failure("cannot reach the local stack (pid " + was.pid() + ") on "
          + ControlSocket.path(cache) + " (" + Format.fileProblem(e) + "); a stack started by an"
          + " older version takes no update: stop it and start it again");
    }
    if (answer.refused() != null) {
      throw CliException.failure(Terminal.printable(answer.refused()));
    }
    Map<String, String> served = answer.served();
    call.err()
        .println("the local stack (pid " + was.pid() + ") serves model "
            + served.getOrDefault("model", "?") + " now (endpoint config "
            + served.getOrDefault("endpointConfig", "?") + "); its controller replaces the"
            + " endpoint at its next run, and uploads wait in the queue meanwhile");
    StateFile now = StackProcess.running(StateFile.path(cache)).orElse(was);
    LocalStatusCommand.print(call, now);
    return 0;
  }

  /** What is said when the stack of process {@code pid} took the update and did not answer in time. */
  static String noAnswer(Long pid, ControlSocket.NoAnswer e) {
    return "the local stack (pid " + pid + ") did not answer within "
        + e.bound().toSeconds()
        + " s (stopped, say with Ctrl-Z, or hung): the update may still be applied once it goes"
        + " on; 'scripts/offhours local status' shows the model it serves";
  }
}
