package offhours.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * A local function's log while open, as CloudWatch Logs keeps it on AWS: the lines local mode writes under the
 * function's logger, {@code offhours.lambda.NAME} (the controller's one line per run, "what started it: the decision;
 * the timer"; the HTTP API's "Task timed out"). Local mode writes them through {@link System.Logger}, which is
 * java.util.logging here.
 */
public final class FunctionLog implements AutoCloseable {
  private final Logger logger;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Handler handler = new Handler() {
    private final SimpleFormatter format = new SimpleFormatter();

    @Override
    public void publish(LogRecord record) {
      lines.add(format.formatMessage(record));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  /** The log of function {@code name} from now on. */
  public FunctionLog(String name) {
    logger = Logger.getLogger("offhours.lambda." + name);
    handler.setLevel(Level.ALL);
    logger.addHandler(handler);
  }

  /** Every line logged since this log was opened, oldest first. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
  }
}
