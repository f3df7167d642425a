package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import offhours.cli.Main;

/**
 * The CLI in-process against a running {@link LocalDeployment}, found through a state file as {@code offhours local
 * start} writes it (in {@code cache}, naming this process), so each command reads the stack over the wire as a
 * user's run does.
 */
final class LocalCli {

  /** What one command printed, and its exit code. */
  record Ran(int exitCode, String out, String err) {}

  private final Map<String, String> env;

  LocalCli(LocalDeployment stack, Path cache) throws IOException {
    stack.state(ProcessHandle.current()).write(StateFile.path(cache));
    env = Map.of("OFFHOURS_CACHE", cache.toString(), "HOME", cache.toString());
  }

  Ran run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new Main(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env)
        .run(args);
    return new Ran(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** What a command that must succeed printed; its error output is the failure's description. */
  String out(String... args) {
    Ran ran = run(args);
    assertThat(ran.exitCode())
        .as("offhours %s: %s", String.join(" ", args), ran.err())
        .isZero();
    return ran.out();
  }

  /** The JSON a command that must succeed printed (one document). */
  JsonNode json(String... args) {
    return StackFixture.json(out(args));
  }
}
