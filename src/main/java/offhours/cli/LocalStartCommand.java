package offhours.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import offhours.local.ControlSocket;
import offhours.local.StateFile;

/** {@code local start}: {@code local run} in the background, back once the stack answers. */
final class LocalStartCommand implements Command {
  @Override
  public String name() {
    return "start";
  }

  @Override
  public String summary() {
    return "start the local stack in the background and print its endpoint URLs";
  }

  @Override
  public List<Option> options() {
    return Stream.concat(LocalCommand.stackOptions().stream(), Stream.of(Option.JSON))
        .toList();
  }

  @Override
  public String description() {
    return """
        The stack keeps running after this command returns; 'offhours local stop' stops it. Its state
        (process id, endpoint URLs, resource names) is kept in local/stack.json under the cache directory
        ($OFFHOURS_CACHE, else $XDG_CACHE_HOME/offhours, else ~/.cache/offhours); its logs in local/logs/.
        The URLs work with the AWS CLI, e.g. aws --endpoint-url URL s3 cp photo.jpg s3://offhours-images/
        """;
  }

  @Override
  public int run(Invocation call) throws Exception {
    LocalCommand.settings(
        call); // a bad option is a usage error here, not a failed start in the background
    Path cache = call.context().cacheDir();
    LocalCommand.requireUsableCache(cache);
    List<Option> given = LocalCommand.stackOptions().stream()
        .filter(o -> call.args().value(o.name()).isPresent())
        .toList();
    Optional<StateFile> running = StackProcess.running(StateFile.path(cache));
    if (running.isPresent()) {
      boolean starting = running.get().stillStarting();
      if (!given.isEmpty()) {
        // The running stack keeps the model it started with: "already running" and exit 0 would
        // let the user believe their --model or --labels is served now.
        throw notApplied(
            "the local stack is " + (starting ? "starting" : "already running") + " (pid "
                + running.get().pid() + ") with the model and settings it "
                + (starting ? "was started" : "started") + " with; ",
            given);
      }
      StateFile up = running.get();
      if (starting) {
        // Another 'local start' (or 'local run') is starting it: this one is answered when it is
        // up.
        call.err()
            .println(
                "the local stack is starting (pid " + up.pid() + "); waiting until it is up...");
        up = StackProcess.awaitUp(cache, up);
      }
      call.err()
          .println("the local stack is " + (starting ? "" : "already ") + "running (pid " + up.pid()
              + ")");
      LocalStatusCommand.print(call, up);
      return 0;
    }
    StackProcess.endLeftoversOfGoneStack(StateFile.path(cache), call.err());
    List<String> options = given.stream()
        .flatMap(o -> Stream.of("--" + o.name(), call.args().value(o.name()).orElseThrow()))
        .toList();
    // The start takes seconds (moto_server, the local SageMaker, loading the model): say so before
    // the wait.
    call.err()
        .println("starting the local stack (moto_server, the local SageMaker and the model) ...");
    StackProcess.Started started = StackProcess.startInBackground(cache, options);
    if (started.byAnother() && !given.isEmpty()) {
      throw notApplied(
          "another 'local start' started the local stack (pid "
              + started.state().pid() + ") meanwhile, with its own model and settings; ",
          given);
    }
    call.err()
        .println("the local stack is running in the background (pid "
            + started.state().pid()
            + (started.byAnother() ? "; another 'local start' started it meanwhile" : "")
            + "); log: " + started.log());
    withoutControlSocket(cache, started.log()).ifPresent(call.err()::println);
    LocalStatusCommand.print(call, started.state());
    return 0;
  }

  /**
   * The line said when the stack that is up listens on no control socket ({@code local/control.sock} is missing once
   * it is up; the stack deletes a file left there and then binds it): it runs, and only {@code local update} cannot
   * reach it. Says why when the socket's path is too long, else where the stack's log says it.
   */
  static Optional<String> withoutControlSocket(Path cache, Path log) throws IOException {
    Path socket = ControlSocket.path(cache);
    if (Files.exists(socket)) {
      return Optional.empty();
    }
    return Optional.of(
        "the local stack runs, but takes no model update ('local update'): its control"
            + " socket " + socket + " could not be opened"
            + ControlSocket.tooLong(socket)
                .map(why -> ", as " + why + "; start it from a cache folder of a shorter path"
                    + " (OFFHOURS_CACHE) to update its model")
                .orElse(" (its log " + log + " says why)"));
  }

  /** A running stack keeps what it started with: "running" and exit 0 would let the user believe {@code given} is. */
  private static CliException notApplied(String why, List<Option> given) {
    // The model's options alone are what a running stack takes through 'local update'.
    boolean modelOnly = ModelOptions.OPTIONS.containsAll(given);
    return CliException.failure(why
        + given.stream().map(o -> "--" + o.name()).collect(Collectors.joining(", "))
        + (given.size() == 1 ? " applies" : " apply")
        + " only to a new stack: "
        + (modelOnly
            ? "give the running one a new model with 'scripts/offhours local update' and the same"
                + " options, or "
            : "")
        + "stop it first ('scripts/offhours local stop'; its uploads and"
        + " results go with it), then start it again with them");
  }
}
