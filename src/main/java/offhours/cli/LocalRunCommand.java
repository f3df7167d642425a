package offhours.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import offhours.local.LocalDeployment;
import offhours.local.StateFile;

/** {@code local run}: the stack in the foreground until interrupted; {@code local start} runs this in the background. */
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
    Path stateFile = StateFile.path(call.context().cacheDir());
    LocalDeployment stack = LocalDeployment.start(LocalCommand.settings(call), call.err());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        Files.deleteIfExists(stateFile);
      } catch (IOException e) {
        // the next start overwrites it
      }
      stack.close();
      stopped.countDown();
    }, "offhours-local-stop"));
    StateFile state = stack.state(ProcessHandle.current());
    state.write(stateFile);
    LocalStatusCommand.print(call, state);
    stopped.await();
    return 0;
  }
}
