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
   * Installs one stop for the signals from before the stack's start to its end ({@link StopSignals#install}): what the
   * start-up started so far ({@link #whileStarting}), until the command has the stack up ({@link StopPhase#up}); from
   * then on the stack's own stop.
   */
  static StopPhase install(Supplier<List<ChildProcess>> stopStarting, PrintStream err) {
    StopPhase phase = new StopPhase(stopStarting, err);
    StopSignals.install(err, phase::stop);
    return phase;
  }

  /**
   * Which of the two stops a signal runs, decided under one lock: a signal that lands as the start returns either finds
   * the stack up and runs its stop, or stops what the start-up started and the command does not take the stack up.
   * (Two handlers installed one after the other left a moment, between the start's return and the second, in which a
   * signal ran the start-up's stop of a stack that was up and said "before it was up".)
   */
  static final class StopPhase {
    private final Supplier<List<ChildProcess>> stopStarting;
    private final PrintStream err;

    /** Guarded by this: the stack's stop once it is up. */
    private Runnable upStop;

    /** Guarded by this: a signal is stopping the stack. */
    private boolean stopping;

    StopPhase(Supplier<List<ChildProcess>> stopStarting, PrintStream err) {
      this.stopStarting = stopStarting;
      this.err = err;
    }

    /** What a signal runs. */
    void stop() {
      Runnable up;
      synchronized (this) {
        stopping = true;
        up = upStop;
      }
      if (up == null) {
        whileStarting(stopStarting, err);
      } else {
        up.run();
      }
    }

    /**
     * The stack is up: a signal from now on runs {@code stop}. Throws, the stack not taken up, when a signal came
     * first: it is ending what the start-up started, and the caller closes the rest of the stack on its way out.
     */
    synchronized void up(Runnable stop) throws StoppedWhileStarting {
      if (stopping) {
        throw new StoppedWhileStarting();
      }
      upStop = stop;
    }
  }

  /** A signal stopped the stack before the command had it up ({@link StopPhase#up}). */
  static final class StoppedWhileStarting extends Exception {
    private static final long serialVersionUID = 1L;

    StoppedWhileStarting() {
      super("a signal stopped the local stack before it was up");
    }
  }

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
