package offhours.cli;

import java.io.PrintStream;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C, SIGTERM and SIGHUP stop a command's local stack <em>before</em> the JVM's shutdown hooks start, then end
 * the JVM as the signal would have (exit code 128 + its number).
 *
 * <p>Why not a shutdown hook: the JVM runs all hooks at once, and ONNX Runtime's Java binding registers one that
 * releases its native environment. A model that is loading or classifying while that hook runs crashes the JVM
 * (SIGSEGV, and an hs_err file in the working directory); the local SageMaker's close waits for both, but a hook
 * cannot make the runtime's hook wait for it. Handling the signals here gives the order: the stack closes, then the
 * JVM exits and the hooks find nothing running. A signal the process was started ignoring (a stack started in the
 * background ignores Ctrl-C of the shell that started it) stays ignored.
 */
final class StopSignals {
  private static final List<String> SIGNALS = List.of("INT", "TERM", "HUP");
  private static final Object LOCK = new Object();
  private static volatile int exitCode;

  private StopSignals() {}

  /**
   * Makes the signals run {@code stop} once (a second Ctrl-C waits for it) and then exit. Replaces what an earlier
   * call installed.
   */
  static void install(PrintStream err, Runnable stop) {
    SignalHandler handler = signal -> {
      synchronized (LOCK) {
        if (exitCode == 0) {
          exitCode = 128 + signal.getNumber();
          err.println("offhours: SIG" + signal.getName() + ": stopping the local stack...");
          try {
            stop.run();
          } catch (RuntimeException e) {
            err.println("offhours: while stopping the local stack: " + e);
          }
        }
      }
      Runtime.getRuntime().exit(exitCode);
    };
    for (String name : SIGNALS) {
      try {
        Signal.handle(new Signal(name), handler);
      } catch (IllegalArgumentException e) {
        // the JVM keeps this signal (-Xrs) or the platform has none: the shutdown hooks still run
      }
    }
  }

  /** Whether a signal is stopping the stack: a command that fails because of it has nothing to report. */
  static boolean stopping() {
    return exitCode != 0;
  }

  /**
   * The code the JVM exits with: {@code code}, or the first signal's once the stop it began has finished (waiting
   * for it, so that the JVM does not exit, and run its hooks, under the stop).
   */
  static int exitCode(int code) {
    synchronized (LOCK) {
      return exitCode == 0 ? code : exitCode;
    }
  }
}
