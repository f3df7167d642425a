package offhours.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import offhours.local.ControlSocket;
import offhours.local.LocalDeployment;
import offhours.local.StateFile;
import offhours.local.StateFileKeeper;
import offhours.local.api.LocalApiGateway;
import offhours.stack.StackSpec;

/**
 * {@code local run}: the stack in the foreground until interrupted; {@code local start} runs this in the background.
 */
final class LocalRunCommand implements Command {
  @Override
  public String name() {
    return "run";
  }

  @Override
  public String summary() {
    return "run the local stack in the foreground until Ctrl-C (what 'local start' runs in the background)";
  }

  @Override
  public List<Option> options() {
    return LocalCommand.stackOptions();
  }

  @Override
  public int run(Invocation call) throws Exception {
    Path cache = call.context().cacheDir();
    Path stateFile = StateFile.path(cache);
    Path tokenFile = LocalApiGateway.tokenFile(cache);
    LocalDeployment.Options options = LocalCommand.settings(call);
    LocalCommand.requireUsableCache(cache);
    StackProcess.lock(cache);
    // A stack of a version without the lock still counts: its state file names a live process.
    StackProcess.running(stateFile).ifPresent(other -> {
      throw CliException.failure(
          "a local stack is already running from " + cache + " (pid " + other.pid()
              + "); use it ('scripts/offhours local status') or stop it first ('scripts/offhours local stop')");
    });
    // What is left names a stack that is gone: from now on the state file is this process's
    // (StackProcess.isTheStack).
    StackProcess.endLeftoversOfGoneStack(stateFile, call.err());
    Files.deleteIfExists(stateFile);
    // From here until the stack stops, every process it starts or ends is recorded in the file.
    StateFileKeeper keeper =
        StateFileKeeper.starting(stateFile, ProcessHandle.current(), call.err());
    // Until the stack is up its own close is not there: a signal ends what it has started so far.
    StackStops.StopPhase phase = StackStops.install(keeper::stopStarting, call.err());
    LocalDeployment stack;
    try {
      stack = LocalDeployment.start(options, call.err(), keeper);
    } catch (IOException | RuntimeException e) {
      keeper.remove(); // it stopped what it had started
      throw e;
    }
    // Where 'local update' hands the stack a new model; the state file then names it.
    Optional<ControlSocket> control = control(cache, stack, keeper, call);
    Runnable stop = () -> {
      control.ifPresent(LocalRunCommand::closeQuietly);
      try {
        Files.deleteIfExists(tokenFile);
        // First: the processes the stack ends while it closes must not write the file again.
        keeper.remove();
      } catch (IOException e) {
        // the next start overwrites it
      }
      stack.close();
    };
    CountDownLatch stopped = new CountDownLatch(1);
    // Ctrl-C and SIGTERM ('local stop') close the stack before the JVM's hooks run and say what it
    // ended (on local run's terminal, in local start's log); the hook covers other exits.
    try {
      phase.up(() -> StackStops.up(keeper.running(), stop, call.err()));
    } catch (StackStops.StoppedWhileStarting e) {
      stop.run(); // the signal ended what the start-up started; this closes the rest
      throw e;
    }
    Runtime.getRuntime()
        .addShutdownHook(new Thread(
            () -> {
              stop.run();
              stopped.countDown();
            },
            "offhours-local-stop"));
    LocalApiGateway.writeToken(tokenFile, stack.apiToken());
    StateFile state = keeper.up(() -> stack.state(ProcessHandle.current()));
    LocalStatusCommand.print(call, state);
    stopped.await();
    return 0;
  }

  /**
   * The stack's control socket ({@link ControlSocket}): each update it takes is applied, then written to the state
   * file. Without one (a cache path too long for a socket's, say) the stack runs all the same, and says so.
   */
  private static Optional<ControlSocket> control(
      Path cache, LocalDeployment stack, StateFileKeeper keeper, Invocation call) {
    try {
      return Optional.of(ControlSocket.open(ControlSocket.path(cache), update -> {
        // This update's names: another update may follow before the answer is written.
        StackSpec.Names applied = stack.update(update);
        keeper.write();
        return Map.of("model", applied.model(), "endpointConfig", applied.endpointConfig());
      }));
    } catch (IOException | RuntimeException e) {
      call.err()
          .println("the local stack takes no model update ('local update'): its control socket"
              + " could not be opened (" + e + ")");
      return Optional.empty();
    }
  }

  private static void closeQuietly(ControlSocket control) {
    try {
      control.close();
    } catch (IOException e) {
      // its file is replaced by the next start
    }
  }
}
