package offhours.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A JVM of its own on the tests' class path, running {@code main}'s main method, for a test that signals it (a
 * {@link StopNotice} runs only when a JVM ends) and reads what it wrote to stderr from {@code err}.
 */
final class ChildJvm {
  private ChildJvm() {}

  static Process start(Class<?> main, Path err, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "-cp",
        System.getProperty("java.class.path"),
        main.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(err.toFile()).start();
  }
}
