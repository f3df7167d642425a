package offhours.testing;

import java.nio.file.Path;
import java.util.List;
import offhours.local.process.StackMark;

/**
 * The live processes that name a test's cache as their OFFHOURS_CACHE: every process a test's stack starts inherits
 * it, also what those processes start, and keeps it after its parent is gone. A test finds with it what it left
 * running, however it was started (Linux: {@code /proc/PID/environ}, read as {@link StackMark} reads it).
 */
public final class EnvironmentProcesses {
  private EnvironmentProcesses() {}

  /** The processes whose environment has OFFHOURS_CACHE={@code cache}: what a test that owns the cache started. */
  public static List<ProcessHandle> ofCache(Path cache) {
    return StackMark.carrying("OFFHOURS_CACHE", cache.toString());
  }
}
