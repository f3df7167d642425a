package offhours.cli;

import java.nio.file.Path;
import java.util.Optional;
import offhours.local.StateFile;

/** {@code local stop}: ends the stack that {@code local start} started. */
final class LocalStopCommand implements Command {
  @Override
  public String name() {
    return "stop";
  }

  @Override
  public String summary() {
    return "stop the local stack started with 'offhours local start' (its data goes with it)";
  }

  @Override
  public int run(Invocation call) throws Exception {
    Path stateFile = StateFile.path(call.context().cacheDir());
    Optional<StateFile> recorded = StackProcess.recorded(stateFile);
    if (recorded.isEmpty()) {
      call.out().println("the local stack is not running");
      return 0;
    }
    StateFile state = recorded.get();
    if (!StackProcess.isTheStack(stateFile, state)) {
      String leftovers = StackProcess.leftoversEnded(StackProcess.endLeftovers(state));
      boolean removed = StackProcess.removeStale(stateFile);
      boolean reused = state.pid() != null
          && ProcessHandle.of(state.pid()).map(ProcessHandle::isAlive).orElse(false);
      call.out()
          .println("the local stack is not running"
              + (reused
                  ? "; process " + state.pid()
                      + " is another program now (it started later than the stack), so it was left alone"
                  : "")
              + (removed
                  ? "; removed its stale state file " + stateFile
                  : "; its stale state file " + stateFile + " is left to the stack starting now")
              + leftovers);
      return 0;
    }
    StackProcess.stop(stateFile, state);
    // Its own shutdown stops moto_server and the containers; one it forced after the grace period
    // could not. A file it left names what it started since it was read above (a container woken
    // meanwhile); one it removed first, what it had then.
    String leftovers = StackProcess.leftoversEnded(
        StackProcess.endLeftovers(StackProcess.recorded(stateFile).orElse(state)));
    StackProcess.removeStale(stateFile);
    call.out()
        .println("stopped the local stack (pid " + state.pid() + ")"
            + (state.stillStarting()
                ? " before it was up"
                : "; its uploads, results, queues and savings"
                    + " ledger lived in its moto_server and are gone with it")
            + leftovers);
    return 0;
  }
}
