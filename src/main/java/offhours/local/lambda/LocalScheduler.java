package offhours.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Scheduled functions on one machine, like EventBridge Scheduler with a {@code rate(...)} expression:
 * each registered handler runs every {@code rate}, first one rate after registration, on one daemon
 * thread, so runs of all schedules never overlap (a slow run delays the next ones rather than piling up).
 * A run that throws is logged and the schedule goes on, as a failed Lambda invocation does not stop a
 * schedule.
 *
 * <p>Each run gets an event shaped like EventBridge's scheduled event
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html):
 * {@code version, id, detail-type "Scheduled Event", source "aws.scheduler", account, time (from the
 * injected clock, whole seconds, UTC), region, resources [schedule ARN], detail {}}.
 * Rates shorter than AWS's one-minute minimum are allowed here so tests and simulations run fast.
 */
public final class LocalScheduler implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(LocalScheduler.class.getName());

  private record ScheduledTarget(String name, String arn, RequestHandler<Map<String, Object>, ?> handler) {}

  private final Clock clock;
  private final String region;
  private final String accountId;
  private final ScheduledExecutorService thread;
  /** The executor's one worker, joined on close so that close returns only when it is gone. */
  private final java.util.concurrent.atomic.AtomicReference<Thread> worker = new java.util.concurrent.atomic.AtomicReference<>();
  private final Map<String, ScheduledTarget> schedules = new ConcurrentHashMap<>();

  /** A scheduler in us-east-1, account 123456789012, whose events carry {@code clock}'s time. */
  public LocalScheduler(Clock clock) {
    this(clock, "us-east-1", "123456789012");
  }

  public LocalScheduler(Clock clock, String region, String accountId) {
    this.clock = Objects.requireNonNull(clock, "clock");
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

  /** Runs {@code handler} every {@code rate} until {@link #close()}; {@code name} identifies the schedule. */
  public void schedule(String name, Duration rate, RequestHandler<Map<String, Object>, ?> handler) {
    Objects.requireNonNull(handler, "handler");
    if (rate.isNegative() || rate.isZero()) {
      throw new IllegalArgumentException("schedule " + name + ": rate must be positive; got " + rate);
    }
    ScheduledTarget schedule = new ScheduledTarget(name,
        "arn:aws:scheduler:" + region + ":" + accountId + ":schedule/default/" + name, handler);
    if (schedules.putIfAbsent(name, schedule) != null) {
      throw new IllegalStateException("schedule " + name + " already exists");
    }
    thread.scheduleAtFixedRate(() -> {
      try {
        run(schedule);
      } catch (RuntimeException e) {
        // scheduleAtFixedRate would silently cancel the schedule if the exception escaped.
        LOG.log(Level.ERROR, "scheduled run of " + name + " failed; the schedule continues", e);
      }
    }, rate.toNanos(), rate.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Runs schedule {@code name} now, on the scheduler thread (so it never overlaps a scheduled run), and
   * returns what the handler returned; an exception of the handler is rethrown here.
   */
  public Object runNow(String name) throws InterruptedException {
    ScheduledTarget schedule = schedules.get(name);
    if (schedule == null) {
      throw new IllegalArgumentException("no schedule named " + name + "; known: " + schedules.keySet());
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

  /** The event a run of schedule {@code name} receives at {@code clock}'s current time. */
  Map<String, Object> event(String name, String arn) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("version", "0");
    event.put("id", UUID.randomUUID().toString());
    event.put("detail-type", "Scheduled Event");
    event.put("source", "aws.scheduler");
    event.put("account", accountId);
    event.put("time", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
    event.put("region", region);
    event.put("resources", List.of(arn));
    event.put("detail", Map.of());
    return event;
  }

  private Object run(ScheduledTarget schedule) {
    LambdaContext context = new LambdaContext(UUID.randomUUID().toString(), schedule.name(),
        "arn:aws:lambda:" + region + ":" + accountId + ":function:" + schedule.name(),
        System.nanoTime() + TimeUnit.SECONDS.toNanos(900));
    return schedule.handler().handleRequest(event(schedule.name(), schedule.arn()), context);
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
