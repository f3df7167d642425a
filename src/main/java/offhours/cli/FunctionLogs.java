package offhours.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Sends what the in-process functions print (their JSON log lines, EMF metrics, java.util.logging) to a
 * file while the demo runs, as Lambda sends a function's output to CloudWatch Logs, so the terminal shows
 * only the demo's own progress and table. The command's streams were captured before, in its Context.
 */
final class FunctionLogs implements AutoCloseable {

  private final PrintStream out = System.out;
  private final PrintStream err = System.err;
  private final PrintStream file;

  private FunctionLogs(PrintStream file) {
    this.file = file;
    System.setOut(file);
    System.setErr(file);
  }

  static FunctionLogs to(Path log) throws IOException {
    return new FunctionLogs(
        new PrintStream(new FileOutputStream(log.toFile(), true), true, StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    System.setOut(out);
    System.setErr(err);
    file.close();
  }
}
