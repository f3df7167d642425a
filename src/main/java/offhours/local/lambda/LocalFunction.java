package offhours.local.lambda;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import offhours.local.invocation.FunctionInvoker;
import offhours.local.invocation.Invoked;

/**
 * A registered function: its execution environments, whose handlers are called in-process with the event's JSON
 * bytes (as Lambda's runtime hands them to a stream handler), its ARN, its timeout (1 s to 900 s, as on Lambda), and
 * the cut-offs a chaos run asked for.
 */
record LocalFunction(
    String name,
    String arn,
    ExecutionEnvironment.Pool environments,
    Duration timeout,
    CutOffs cutOffs) {

  LocalFunction {
    if (name == null || !name.matches("[a-zA-Z0-9_-]{1,64}")) {
      throw new IllegalArgumentException(
          "function name must be 1-64 letters, digits, '-' or '_'; got " + name);
    }
    if (timeout.compareTo(Duration.ofSeconds(1)) < 0
        || timeout.compareTo(Duration.ofSeconds(900)) > 0) {
      throw new IllegalArgumentException(
          "function timeout must be between 1 s and 900 s, as on Lambda; got " + timeout);
    }
  }

  LocalFunction(String name, String arn, ExecutionEnvironment.Init init, Duration timeout) {
    this(name, arn, new ExecutionEnvironment.Pool(name, init), timeout, new CutOffs());
  }

  /**
   * How long the next invocation may run: the timeout, or a pending cut-off (an invocation that dies mid-batch);
   * {@code cut} when a cut-off set it.
   */
  Limit nextLimit() {
    Duration cut = cutOffs.next();
    return cut != null && cut.compareTo(timeout) < 0
        ? new Limit(cut, true)
        : new Limit(timeout, false);
  }

  record Limit(Duration duration, boolean cut) {}

  /** This function as a caller in this JVM invokes it, on the caller's thread ({@link OneInvocation}). */
  FunctionInvoker invoker(ScheduledExecutorService timer) {
    return new FunctionInvoker() {
      @Override
      public Duration timeout() {
        return LocalFunction.this.timeout();
      }

      @Override
      public Invoked invoke(byte[] payload) {
        return OneInvocation.run(LocalFunction.this, payload, timer);
      }
    };
  }

  /** Invocations to end early, oldest request first, and what became of those taken; thread-safe. */
  static final class CutOffs {
    private final Deque<Duration> pending = new ArrayDeque<>();
    /** Cut-offs that ended their invocation while its handler ran. */
    final AtomicLong fired = new AtomicLong();
    /** Cut-offs whose invocation's handler returned first. */
    final AtomicLong outrun = new AtomicLong();

    synchronized void add(Duration after) {
      pending.add(after);
    }

    private synchronized Duration next() {
      return pending.poll();
    }

    synchronized int pending() {
      return pending.size();
    }
  }
}
