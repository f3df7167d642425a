package offhours.local;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * What a model update ({@link ModelSwitch}) has done so far, each step with how to undo it: when a later step fails,
 * the steps done are undone newest first, as CloudFormation rolls a failed stack update back, and the stack serves
 * what it served before.
 */
final class Rollback {

  private record UndoStep(String what, Runnable undo) {}

  private final Deque<UndoStep> done = new ArrayDeque<>();
  /** The first Error an undo step threw, the later ones suppressed in it; null while none did. */
  private Error error;

  /** {@code what} was done; {@code undo} undoes it. */
  void done(String what, Runnable undo) {
    done.push(new UndoStep(what, undo));
  }

  /**
   * Undoes every step done, newest first, each even when one before it failed, with an exception or an Error (an
   * {@code OutOfMemoryError}, a {@code LinkageError} of a function's init run again); returns those that could not be
   * undone, each with why. An Error is kept for {@link #error}, for the caller to throw once it has said what was
   * undone.
   */
  List<String> undo() {
    List<String> failed = new ArrayList<>();
    while (!done.isEmpty()) {
      UndoStep step = done.pop();
      try {
        step.undo.run();
      } catch (RuntimeException | Error e) {
        failed.add(step.what + " (" + why(e) + ")");
        if (e instanceof Error thrown) {
          if (error == null) {
            error = thrown;
          } else {
            error.addSuppressed(thrown);
          }
        }
      }
    }
    return failed;
  }

  /** The first Error an undo step threw, or null: none did. */
  Error error() {
    return error;
  }

  /** A failure's message, or its class when it has none. */
  static String why(Throwable e) {
    return e.getMessage() == null || e.getMessage().isBlank() ? e.toString() : e.getMessage();
  }
}
