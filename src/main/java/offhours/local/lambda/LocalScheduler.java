package offhours.local.lambda;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import offhours.local.invocation.FunctionInvoker;
import offhours.local.invocation.Invoked;

/**
 * Scheduled functions on one machine, like EventBridge Scheduler with a {@code rate(...)} expression:
 * each schedule invokes its target function every {@code rate}, first one rate after registration, on one daemon
 * thread, so runs of all schedules never overlap (a slow run delays the next ones rather than piling up).
 * The target is a function of the local Lambda ({@link LocalLambda#invoker}), so each run is an invocation as any
 * other: in an execution environment of the function's, ended at its timeout. A run that fails is logged and the
 * schedule goes on, as a failed Lambda invocation does not stop a schedule.
 *
 * <p>Each run gets the schedule's input, a JSON object, as EventBridge Scheduler hands a target's Input to a Lambda
 * function: as it is, without an envelope
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-templated.html).
 * Rates shorter than AWS's one-minute minimum are allowed here so tests and simulations run fast.
 */
public final class LocalScheduler implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final System.Logger LOG = System.getLogger(LocalScheduler.class.getName());

  private record ScheduledTarget(String name, byte[] input, FunctionInvoker target) {}

  private final ScheduledExecutorService thread;
  /** The executor's one worker, joined on close so that close returns only when it is gone. */
  private final java.util.concurrent.atomic.AtomicReference<Thread> worker =
      new java.util.concurrent.atomic.AtomicReference<>();

  private final Map<String, ScheduledTarget> schedules = new ConcurrentHashMap<>();

  public LocalScheduler() {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "offhours-scheduler");
      worker.set(t);
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    this.thread = executor;
  }

  /**
   * Invokes {@code target} with {@code input} (a JSON object) every {@code rate} until {@link #close()}; {@code name}
   * identifies the schedule.
   */
  public void schedule(String name, Duration rate, String input, FunctionInvoker target) {
    Objects.requireNonNull(target, "target");
    if (rate.isNegative() || rate.isZero()) {
      throw new IllegalArgumentException(
          "schedule " + name + ": rate must be positive; got " + rate);
    }
    ScheduledTarget schedule = new ScheduledTarget(name, parse(name, input), target);
    if (schedules.putIfAbsent(name, schedule) != null) {
      throw new IllegalStateException("schedule " + name + " already exists");
    }
    thread.scheduleAtFixedRate(
        () -> {
          try {
            Invoked run = schedule.target().invoke(schedule.input());
            if (run.failed()) {
              LOG.log(
                  Level.ERROR,
                  "scheduled run of {0} failed ({1}: {2}); the schedule continues",
                  name,
                  run.errorType(),
                  run.errorMessage());
            }
          } catch (RuntimeException e) {
            // scheduleAtFixedRate would silently cancel the schedule if the exception escaped.
            LOG.log(Level.ERROR, "scheduled run of " + name + " failed; the schedule continues", e);
          }
        },
        rate.toNanos(),
        rate.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  /**
   * Runs schedule {@code name} now, on the scheduler thread (so it never overlaps a scheduled run), and
   * returns what the invocation came to.
   */
  public Invoked runNow(String name) throws InterruptedException {
    ScheduledTarget schedule = schedules.get(name);
    if (schedule == null) {
      throw new IllegalArgumentException(
          "no schedule named " + name + "; known: " + schedules.keySet());
    }
    Future<Invoked> run = thread.submit(() -> schedule.target().invoke(schedule.input()));
    try {
      return run.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("schedule " + name + " failed", e.getCause());
    }
  }

  /** {@code input} as the target's payload, once it has been read as a JSON object. */
  private static byte[] parse(String name, String input) {
    try {
      return JSON.writeValueAsBytes(
          JSON.readValue(input, new TypeReference<Map<String, Object>>() {}));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "schedule " + name + ": the input must be a JSON object; got " + input, e);
    }
  }

  /** Stops every schedule; a run in progress gets up to 30 s to finish, then is interrupted. */
  @Override
  public void close() {
    thread.shutdown(); // cancels the periodic runs; one in progress finishes
    try {
      if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
        thread.shutdownNow();
      }
      Thread t = worker.get();
      if (t != null) {
        t.join(5_000); // the executor reports termination just before its worker thread ends
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
