package offhours.local;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The controller's log while open, as CloudWatch Logs keeps it on AWS: one line per run of the in-process controller
 * function ("what started it: the decision; the timer"), whether the timer, a manual override or a reconcile started
 * it. The local Lambda writes it through {@link System.Logger}, which is java.util.logging here.
 */
final class ControllerLog implements AutoCloseable {
  private final Logger logger =
      Logger.getLogger("offhours.lambda." + LocalDeployment.CONTROLLER_FUNCTION);
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

  ControllerLog() {
    handler.setLevel(Level.ALL);
    logger.addHandler(handler);
  }

  /** Every line logged since this log was opened, oldest first. */
  List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
  }
}
