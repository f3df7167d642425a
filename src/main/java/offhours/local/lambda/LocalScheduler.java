package offhours.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import offhours.local.invocation.LambdaContext;

/**
 * Scheduled functions on one machine, like EventBridge Scheduler with a {@code rate(...)} expression:
 * each registered handler runs every {@code rate}, first one rate after registration, on one daemon
 * thread, so runs of all schedules never overlap (a slow run delays the next ones rather than piling up).
 * A run that throws is logged and the schedule goes on, as a failed Lambda invocation does not stop a
 * schedule.
 *
 * <p>Each run gets the schedule's input, a JSON object, as EventBridge Scheduler hands a target's Input to a Lambda
 * function: as it is, without an envelope
 * (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-templated.html).
 * Rates shorter than AWS's one-minute minimum are allowed here so tests and simulations run fast.
 */
public final class LocalScheduler implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final System.Logger LOG = System.getLogger(LocalScheduler.class.getName());

  private record ScheduledTarget(
      String name, Map<String, Object> input, RequestHandler<Map<String, Object>, ?> handler) {}

  private final String region;
  private final String accountId;
  private final ScheduledExecutorService thread;
  /** The executor's one worker, joined on close so that close returns only when it is gone. */
  private final java.util.concurrent.atomic.AtomicReference<Thread> worker =
      new java.util.concurrent.atomic.AtomicReference<>();

  private final Map<String, ScheduledTarget> schedules = new ConcurrentHashMap<>();

  /** A scheduler in us-east-1, account 123456789012 (the ARNs of the runs' Lambda contexts). */
  public LocalScheduler() {
    this("us-east-1", "123456789012");
  }

  public LocalScheduler(String region, String accountId) {
    this.region = Objects.requireNonNull(region, "region");
    this.accountId = Objects.requireNonNull(accountId, "accountId");
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
   * Runs {@code handler} with {@code input} (a JSON object) every {@code rate} until {@link #close()}; {@code name}
   * identifies the schedule.
   */
  public void schedule(
      String name, Duration rate, String input, RequestHandler<Map<String, Object>, ?> handler) {
    Objects.requireNonNull(handler, "handler");
    if (rate.isNegative() || rate.isZero()) {
      throw new IllegalArgumentException(
          "schedule " + name + ": rate must be positive; got " + rate);
    }
    ScheduledTarget schedule = new ScheduledTarget(name, parse(name, input), handler);
    if (schedules.putIfAbsent(name, schedule) != null) {
      throw new IllegalStateException("schedule " + name + " already exists");
    }
    thread.scheduleAtFixedRate(
        () -> {
          try {
            run(schedule);
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
   * returns what the handler returned; an exception of the handler is rethrown here.
   */
  public Object runNow(String name) throws InterruptedException {
    ScheduledTarget schedule = schedules.get(name);
    if (schedule == null) {
      throw new IllegalArgumentException(
          "no schedule named " + name + "; known: " + schedules.keySet());
    }
    Future<Object> run = thread.submit(() -> run(schedule));
    try {
      return run.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("schedule " + name + " failed", e.getCause());
    }
  }

  private static Map<String, Object> parse(String name, String input) {
    try {
      return JSON.readValue(input, new TypeReference<Map<String, Object>>() {});
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "schedule " + name + ": the input must be a JSON object; got " + input, e);
    }
  }

  private Object run(ScheduledTarget schedule) {
    LambdaContext context = new LambdaContext(
        UUID.randomUUID().toString(),
        schedule.name(),
        "arn:aws:lambda:" + region + ":" + accountId + ":function:" + schedule.name(),
        System.nanoTime() + TimeUnit.SECONDS.toNanos(900));
    return schedule.handler().handleRequest(new LinkedHashMap<>(schedule.input()), context);
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
