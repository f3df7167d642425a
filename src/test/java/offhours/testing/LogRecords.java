package offhours.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The records a class's java.util.logging logger publishes while open (a server's own lines, such as the page
 * server's WARNING for a read cut at its deadline), in the order they came, for a test to read as they arrive.
 */
public final class LogRecords implements AutoCloseable {
  private final Logger logger;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  /** The records of {@code type}'s logger (named after the class) from now on. */
  public LogRecords(Class<?> type) {
    logger = Logger.getLogger(type.getName());
    logger.addHandler(handler);
  }

  /** A live view of every record published since this was opened, oldest first. */
  public List<LogRecord> records() {
    return records;
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
  }
}
