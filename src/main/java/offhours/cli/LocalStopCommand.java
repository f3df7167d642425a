package offhours.cli;

import java.nio.file.Files;
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
    return "stop the local stack started with 'offhours local start'";
  }

  @Override
  public int run(Invocation call) throws Exception {
    Path stateFile = StateFile.path(call.context().cacheDir());
    Optional<StateFile> running = StackProcess.running(stateFile);
    if (running.isEmpty()) {
      Files.deleteIfExists(stateFile);
      call.out().println("the local stack is not running");
      return 0;
    }
    StackProcess.stop(running.get());
    Files.deleteIfExists(stateFile);
    call.out().println("stopped the local stack (pid " + running.get().pid() + ")");
    return 0;
  }
}
