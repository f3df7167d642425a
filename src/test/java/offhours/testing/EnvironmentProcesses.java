package offhours.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The live processes whose environment holds a variable with a given value (Linux: {@code /proc/PID/environ}): every
 * process a test starts with a cache of its own, or a marker, inherits it, also what those processes start, and keeps
 * it after its parent is gone. A test finds with it what it left running, however it was started.
 */
public final class EnvironmentProcesses {
  private EnvironmentProcesses() {}

  /** The live processes whose environment has {@code name=value} (exactly that entry). */
  public static List<ProcessHandle> with(String name, String value) {
    String entry = name + "=" + value;
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(p -> environment(p).contains(entry))
        .toList();
  }

  /** The processes that name {@code cache} as their OFFHOURS_CACHE: what a test that owns the cache started. */
  public static List<ProcessHandle> ofCache(Path cache) {
    return with("OFFHOURS_CACHE", cache.toString());
  }

  private static List<String> environment(ProcessHandle p) {
    try {
      byte[] environ = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "environ"));
      return Arrays.asList(new String(environ, StandardCharsets.UTF_8).split("\0"));
    } catch (IOException | RuntimeException e) {
      return List.of(); // gone meanwhile, or not readable: not ours
    }
  }
}
