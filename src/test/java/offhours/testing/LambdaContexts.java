package offhours.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Lambda {@link Context}s for handler tests that care only about the invocation's time left and, for some, what the
 * handler logs. Such a context gives a logger that drops what it is told, or keeps it ({@link #loggingTo}); any other method throws, so a handler that starts to read more of its
 * context is noticed.
 */
public final class LambdaContexts {
  private static final LambdaLogger SILENT = new LambdaLogger() {
    @Override
    public void log(String message) {}

    @Override
    public void log(byte[] message) {}
  };

  private LambdaContexts() {}

  /** A context with {@code millis} of the invocation left. */
  public static Context remaining(int millis) {
    return remaining(() -> millis);
  }

  /** A context with {@code left} of the invocation left. */
  public static Context remaining(Duration left) {
    return remaining((int) left.toMillis());
  }

  /** A context whose time left counts down from {@code timeout}, as an invocation's does from its function's Timeout. */
  public static Context countingDown(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    return remaining(() -> (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
  }

  /** A context with {@code millis} of the invocation left whose logger adds each line it is told to {@code lines}. */
  public static Context loggingTo(List<String> lines, int millis) {
    return context(() -> millis, new LambdaLogger() {
      @Override
      public void log(String message) {
        lines.add(message);
      }

      @Override
      public void log(byte[] message) {
        lines.add(new String(message, StandardCharsets.UTF_8));
      }
    });
  }

  /** A context whose time left is what {@code millis} says when asked (a test may move it while a handler runs). */
  public static Context remaining(IntSupplier millis) {
    return context(millis, SILENT);
  }

  private static Context context(IntSupplier millis, LambdaLogger logger) {
    return (Context) Proxy.newProxyInstance(
        Context.class.getClassLoader(),
        new Class<?>[] {Context.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "getRemainingTimeInMillis" -> millis.getAsInt();
          case "getLogger" -> logger;
          case "toString" -> "a context with " + millis.getAsInt() + " ms left";
          default -> throw new UnsupportedOperationException("Context." + method.getName());
        });
  }
}
