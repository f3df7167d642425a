package offhours.local.lambda;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One event source mapping: its configuration, its state machine, the slots its batches hold, and its
 * counters. Every mutable field is guarded by {@code this}; pollers wait on this monitor.
 *
 * <p>States and transitions follow
 * https://docs.aws.amazon.com/lambda/latest/api/API_EventSourceMappingConfiguration.html: a change
 * first shows a transitional state (Creating, Enabling, Disabling, Updating, Deleting) for a short
 * while, and Disabling/Deleting last until the batches in flight have finished, so a caller that
 * waits for Disabled knows nothing is being processed any more.
 */
final class EventSourceMapping {

  private enum MappingState {
    Creating,
    Enabling,
    Enabled,
    Disabling,
    Disabled,
    Updating,
    Deleting
  }

  /** The settings UpdateEventSourceMapping can change. {@code maximumConcurrency} null = not set. */
  record MappingSettings(
      int batchSize,
      int batchingWindowSeconds,
      boolean reportBatchItemFailures,
      Integer maximumConcurrency) {}

  final String uuid;
  private final String mappingArn;
  final LocalFunction function;
  final String eventSourceArn;

  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final Duration transitionDelay;
  private final int defaultConcurrency;
  private final Runnable onRemoved;

  private MappingSettings config;
  private MappingState state;
  private boolean enabled;
  private long
      transition; // bumps on every change, so a stale timer does not settle a newer transition
  private boolean delayElapsed;
  private boolean removed;
  private Instant lastModified;
  private int reserved; // batches being gathered or invoked
  private int invoking;
  private long batches;
  private long delivered;
  private long deleted;
  private long failed;
  private long errors;

  EventSourceMapping(
      String uuid,
      String mappingArn,
      LocalFunction function,
      String eventSourceArn,
      MappingSettings config,
      boolean enabled,
      Clock clock,
      ScheduledExecutorService timer,
      Duration transitionDelay,
      int defaultConcurrency,
      Runnable onRemoved) {
    this.uuid = uuid;
    this.mappingArn = mappingArn;
    this.function = function;
    this.eventSourceArn = eventSourceArn;
    this.config = config;
    this.enabled = enabled;
    this.clock = clock;
    this.timer = timer;
    this.transitionDelay = transitionDelay;
    this.defaultConcurrency = defaultConcurrency;
    this.onRemoved = onRemoved;
    synchronized (this) {
      beginTransition(MappingState.Creating);
    }
  }

  synchronized MappingSettings config() {
    return config;
  }

  /** UpdateEventSourceMapping. Lambda refuses changes while a previous change is still settling. */
  synchronized void update(MappingSettings newConfig, Boolean enable) {
    if (removed) {
      throw LambdaError.mappingNotFound();
    }
    if (state != MappingState.Enabled && state != MappingState.Disabled) {
      throw LambdaError.inUse("Cannot update the event source mapping " + uuid
          + " because it is in state " + state + ". Retry when its state is Enabled or Disabled.");
    }
    config = newConfig;
    if (enable != null && enable != enabled) {
      enabled = enable;
      beginTransition(enable ? MappingState.Enabling : MappingState.Disabling);
    } else {
      beginTransition(MappingState.Updating);
    }
  }

  /** DeleteEventSourceMapping: stops receiving at once; the mapping disappears when its batches have finished. */
  synchronized void delete() {
    if (removed) {
      throw LambdaError.mappingNotFound();
    }
    if (state != MappingState.Deleting) {
      beginTransition(MappingState.Deleting);
    }
  }

  /** Stops the mapping for good (LocalLambda is closing); pollers waiting on it return. */
  synchronized void close() {
    removed = true;
    notifyAll();
  }

  synchronized boolean alive() {
    return !removed;
  }

  /** Receives are allowed only while the mapping is (still) enabled; Disabling stops them at once. */
  synchronized boolean pollable() {
    return !removed && enabled && (state == MappingState.Enabled || state == MappingState.Updating);
  }

  private int limit(MappingSettings c) {
    return c.maximumConcurrency() != null ? c.maximumConcurrency() : defaultConcurrency;
  }

  /**
   * Takes a batch slot when the mapping is pollable and fewer than MaximumConcurrency batches are in
   * flight; waits at most {@code wait}. The slot is held from the first receive until the deletes are done.
   */
  synchronized boolean reserve(Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!(pollable() && reserved < limit(config))) {
      long left = deadline - System.nanoTime();
      if (removed || left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    reserved++;
    return true;
  }

  /** Gives back a slot whose receives found nothing. */
  synchronized void release() {
    reserved--;
    settleIfDone();
    notifyAll();
  }

  synchronized void invoking(int messages) {
    invoking++;
    batches++;
    delivered += messages;
  }

  synchronized void finished(int messages, int deletedMessages, boolean error) {
    invoking--;
    deleted += deletedMessages;
    failed += messages - deletedMessages;
    if (error) {
      errors++;
    }
    reserved--;
    settleIfDone();
    notifyAll();
  }

  /** Sleeps on the monitor (woken early by close or delete), e.g. to back off after a failed receive. */
  synchronized void pause(Duration duration) throws InterruptedException {
    if (!removed) {
      TimeUnit.NANOSECONDS.timedWait(this, duration.toNanos());
    }
  }

  synchronized MappingStats stats() {
    return new MappingStats(state.name(), batches, delivered, deleted, failed, errors, invoking);
  }

  /** The EventSourceMappingConfiguration shape the Lambda API returns. */
  synchronized Map<String, Object> describe() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("UUID", uuid);
    out.put("BatchSize", config.batchSize());
    out.put("MaximumBatchingWindowInSeconds", config.batchingWindowSeconds());
    out.put("EventSourceArn", eventSourceArn);
    out.put("FunctionArn", function.arn());
    out.put("LastModified", lastModified.toEpochMilli() / 1000.0);
    out.put("State", state.name());
    out.put("StateTransitionReason", "USER_INITIATED");
    out.put(
        "FunctionResponseTypes",
        config.reportBatchItemFailures() ? List.of("ReportBatchItemFailures") : List.of());
    if (config.maximumConcurrency() != null) {
      out.put("ScalingConfig", Map.of("MaximumConcurrency", config.maximumConcurrency()));
    }
    out.put("EventSourceMappingArn", mappingArn);
    return out;
  }

  private void beginTransition(MappingState transitional) {
    state = transitional;
    lastModified = clock.instant();
    delayElapsed = false;
    long id = ++transition;
    notifyAll();
    timer.schedule(() -> delayElapsed(id), transitionDelay.toNanos(), TimeUnit.NANOSECONDS);
  }

  private synchronized void delayElapsed(long id) {
    if (id == transition) {
      delayElapsed = true;
      settleIfDone();
      notifyAll();
    }
  }

  // A transitional state ends when its delay has elapsed; Disabling and Deleting also wait for the
  // batches in flight, whose messages are then deleted as usual.
  private void settleIfDone() {
    if (!delayElapsed || removed) {
      return;
    }
    switch (state) {
      case Creating, Enabling, Updating ->
        state = enabled ? MappingState.Enabled : MappingState.Disabled;
      case Disabling -> {
        if (reserved == 0) {
          state = MappingState.Disabled;
        }
      }
      case Deleting -> {
        if (reserved == 0) {
          removed = true;
          onRemoved.run();
        }
      }
      default -> {}
    }
  }
}
