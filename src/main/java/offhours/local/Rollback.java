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

  /** {@code what} was done; {@code undo} undoes it. */
  void done(String what, Runnable undo) {
    done.push(new UndoStep(what, undo));
  }

  /**
   * Undoes every step done, newest first, each even when one before it failed; returns those that could not be undone,
   * each with why.
   */
  List<String> undo() {
    List<String> failed = new ArrayList<>();
    while (!done.isEmpty()) {
      UndoStep step = done.pop();
      try {
        step.undo.run();
      } catch (RuntimeException e) {
        failed.add(step.what + " (" + why(e) + ")");
      }
    }
    return failed;
  }

  /** An exception's message, or its class when it has none. */
  static String why(Exception e) {
    return e.getMessage() == null || e.getMessage().isBlank() ? e.toString() : e.getMessage();
  }
}
