package offhours.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Supplier;
import offhours.local.process.ChildProcess;

/**
 * What a signal ({@link StopSignals}) does to a local stack that runs in this JVM ({@code local run}'s, the demo's),
 * and what it says on stderr: the processes it ended, named as {@code local stop} names them ("moto_server (pid
 * 4242)"). Only this JVM may get the signal (a {@code kill} of its id, a stack started in the background), so what
 * runs outside it is ended here, never left to the terminal's Ctrl-C reaching it too.
 */
final class StackStops {
  private StackStops() {}

  /**
   * A signal while the stack starts: its own close is not there yet, so this ends what it started so far (moto_server,
   * npm or node; one it is starting at that moment included: {@code stopStarting} refuses every later start and
   * answers with what runs), each with what it forked. The start-up starts nothing after that, and goes with the JVM.
   */
  static void whileStarting(Supplier<List<ChildProcess>> stopStarting, PrintStream err) {
    try {
      err.println("offhours: the local stack stopped before it was up"
          + ended(StackProcess.endLeftovers(stopStarting.get())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A signal once the stack is up: {@code close} ends it (its processes with it), then this says which of
   * {@code running} (what it had started, read before the close) it ended.
   */
  static void up(List<ChildProcess> running, Runnable close, PrintStream err) {
    List<String> named = StackChildren.running(running).stream()
        .map(StackChildren.Named::withPid)
        .toList();
    close.run();
    err.println("offhours: the local stack stopped" + ended(named));
  }

  /** "; ended moto_server (pid 4242)", or what says that it had started none. */
  static String ended(List<String> named) {
    return named.isEmpty()
        ? "; it had started no other process"
        : "; ended " + String.join(", ", named);
  }
}
