package offhours.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import offhours.local.StateFile;
import offhours.local.process.ChildProcess;
import offhours.local.process.StackMark;

/**
 * The processes a local stack's state file records it started that still run, each followed by what it forked, named
 * once for {@code local status}, which lists them, and {@code local stop}, which says it ended them: the same process
 * reads the same in both. The file records a descendant under the name of the process it descends from (a container
 * command's shell, then the server the shell forked), so a forked one is named by its parent's id ("container of
 * endpoint e, forked by pid 4242"), or said to be forked when its parent has ended.
 */
final class StackChildren {

  /** A running process of the stack and how it is named. */
  record Named(String name, ProcessHandle process) {

    /** As {@code local stop} names what it ended: "moto_server (pid 4242)". */
    String withPid() {
      return name + " (pid " + process.pid() + ")";
    }
  }

  private StackChildren() {}

  /**
   * Each of {@code children} that still runs (only while it is the very process recorded,
   * {@link ChildProcess#stillRunning()}), then its running descendants, each process once.
   */
  static List<Named> running(List<ChildProcess> children) {
    List<Named> named = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (ChildProcess child : children) {
      // The first of a name is what the stack started; later ones were recorded as its descendants.
      boolean forked = !names.add(child.name());
      ProcessHandle running = child.stillRunning().orElse(null);
      if (running == null || !seen.add(child.pid())) {
        continue;
      }
      named.add(new Named(
          forked ? child.name() + ", " + forkedBy(Optional.empty()) : child.name(), running));
      running.descendants().filter(ProcessHandle::isAlive).forEach(d -> {
        if (seen.add(d.pid())) {
          named.add(new Named(child.name() + ", " + forkedBy(d.parent()), d));
        }
      });
    }
    return named;
  }

  /**
   * "forked by pid 4242", or "forked (its parent has ended)" when the parent is gone: also of a descendant whose parent
   * ended between the listing of descendants and the read of its parent.
   */
  static String forkedBy(Optional<ProcessHandle> parent) {
    return parent.map(p -> "forked by pid " + p.pid()).orElse("forked (its parent has ended)");
  }

  /**
   * The processes that carry the mark of the stack {@code state} names ({@link StackMark}) and are not among
   * {@code found}: what it had started but not yet recorded when it was killed outright, with what those forked, and
   * what a recorded process forked that is no longer its descendant (a helper of pyenv's shim whose parent ended). Only
   * once no process has the stack's id: while one has, it is the stack, whose processes are its own to end, or a
   * later program, and then what the stack left is found by its record only.
   */
  static List<Named> unrecorded(StateFile state, List<Named> found) {
    boolean idInUse = state.pid() != null
        && ProcessHandle.of(state.pid()).map(ProcessHandle::isAlive).orElse(false);
    if (idInUse) {
      return List.of();
    }
    Set<Long> seen = new HashSet<>();
    found.forEach(n -> seen.add(n.process().pid()));
    return state.mark().map(StackMark::running).orElse(List.of()).stream()
        .filter(p -> seen.add(p.pid()))
        .map(p -> new Named(command(p) + ", not in its state file", p))
        .toList();
  }

  /** The file name of what {@code process} runs ("python3.11"), as far as the system tells. */
  private static String command(ProcessHandle process) {
    return process
        .info()
        .command()
        .map(c -> java.nio.file.Path.of(c).getFileName().toString())
        .orElse("?");
  }
}
