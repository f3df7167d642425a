package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

  /**
   * Waits until {@code child} writes {@code line} to stdout, sends it SIGTERM ({@link Process#destroy}, which also
   * closes the pipes, hence stderr in a file; Ctrl-C's SIGINT runs the same shutdown hooks), checks that it ended as
   * the signal has it (exit 143) and returns what it wrote to {@code err}.
   */
  static String stopOnceItSays(Process child, String line, Path err) throws Exception {
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isEqualTo(line);
    }
    child.destroy();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child ended").isTrue();
    assertThat(child.exitValue()).isEqualTo(128 + 15);
    return Files.readString(err);
  }
}
