package offhours.chaos;

import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import offhours.aws.AwsClients.Service;
import offhours.local.LocalDeployment;
import offhours.local.lambda.MappingStats;
import offhours.local.sagemaker.InvocationHold;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * The endpoint's stop/start cycles of a chaos run: manual stops and starts through the controller function, as
 * {@code scripts/offhours endpoint stop|start} sends them, and {@code auto}, after which the controller starts the
 * endpoint on the backlog itself. The first cycle's stop lands while a Classify batch is held at the model (the steps
 * in {@link ChaosMidBatch}); now and then an override's own controller run dies right after its first step.
 */
final class ChaosCycles implements AutoCloseable {
  final AtomicInteger manualStops = new AtomicInteger();
  final AtomicInteger manualStarts = new AtomicInteger();
  final AtomicInteger autos = new AtomicInteger();
  final AtomicInteger stopsDuringDrain = new AtomicInteger();

  private final LambdaClient lambda;
  private final ChaosControllers controllers;
  private final ChaosWatcher watcher;
  private final ChaosMidBatch heldBatches;
  private final LocalDeployment stack;

  /** Sends one more notification of an upload already made (as S3's at-least-once delivery), so uploads wait. */
  private final Runnable backlog;

  /** Held from the first cycle's cut-off to the check of its stop: the timed faults wait meanwhile. */
  private final ReentrantLock heldSection;

  /** Counts a controller run that died, with the step it died after. */
  private final Consumer<String> died;

  /** Whether no controller run has died yet. */
  private final BooleanSupplier noDeathYet;

  private final Consumer<String> note;

  ChaosCycles(
      LocalDeployment stack,
      ChaosControllers controllers,
      ChaosWatcher watcher,
      ChaosMidBatch heldBatches,
      Runnable backlog,
      ReentrantLock heldSection,
      Consumer<String> died,
      BooleanSupplier noDeathYet,
      Consumer<String> note) {
    this.stack = stack;
    this.controllers = controllers;
    this.watcher = watcher;
    this.heldBatches = heldBatches;
    this.backlog = backlog;
    this.heldSection = heldSection;
    this.died = died;
    this.noDeathYet = noDeathYet;
    this.note = note;
    this.lambda = stack.clients().build(Service.LAMBDA, LambdaClient.builder());
  }

  /**
   * One stop and start. {@code midBatch}: a Classify batch is held at the model while a cut-off ends it, and again
   * while the stop lands, so the stop drains by construction. {@code restart}: start by hand, else back to auto (then
   * the controller starts it on the backlog). {@code topUp}: a cycle run only to reach the counts once the timed
   * faults are over ({@link ChaosFaults#atLeast}), off for a shorter while: no upload arrives meanwhile, so the time
   * off is wait alone, and each step of the cycle still waits for what it needs (the deletion, the serving endpoint).
   */
  void cycle(Random r, boolean midBatch, boolean restart, boolean topUp)
      throws InterruptedException {
    watcher.awaitServing();
    if (midBatch) {
      heldSection.lock(); // the timed faults wait until the held stop has been checked
    }
    try {
      if (midBatch) {
        heldBatches.cut(r);
        watcher.awaitServing();
      }
      stop(r, midBatch);
    } finally {
      if (midBatch) {
        heldSection.unlock();
      }
    }
    watcher.await("the endpoint deleted after the stop", () -> watcher.status().isEmpty());
    // pacing: how long it stays off, drawn
    sleep(topUp ? 0.2 + r.nextDouble() * 0.5 : 0.5 + r.nextDouble() * 3);
    if (!restart && watcher.visible() == 0) {
      backlog.run(); // auto starts the endpoint only for uploads that wait
    }
    if (restart) {
      if (!dyingOverride(true, r.nextInt(3) == 0)) {
        override("start");
      }
      manualStarts.incrementAndGet();
    } else {
      // Automatic again: the controller starts the endpoint by itself once the backlog asks for it.
      override("auto");
      watcher.await(
          "the controller starting the endpoint on the backlog after auto",
          () -> watcher.status().isPresent());
      autos.incrementAndGet();
    }
  }

  /**
   * A manual stop. {@code held}: the first, landing while a batch is held at the model, so the controller must
   * pause, drain, then delete; a later stop drains when it happens to meet a batch in flight (counted as seen).
   */
  private void stop(Random r, boolean held) throws InterruptedException {
    try (InvocationHold hold = held ? stack.services().sageMaker().holdInvocations() : null) {
      if (hold != null) {
        heldBatches.awaitBatchHeld(hold);
      }
      // Now and then the override's own controller run dies right after its first step, before
      // recording it.
      if (!dyingOverride(false, r.nextInt(3) == 0 || noDeathYet.getAsBoolean() && !held)) {
        override("stop");
      }
      manualStops.incrementAndGet();
      MappingStats after = watcher.classify();
      if (!"Enabled".equals(after.state()) && after.invoking() > 0) {
        stopsDuringDrain.incrementAndGet();
        note.accept(
            "stopped with a batch in flight (" + after.state() + "): the stop drains it first");
      } else if (hold != null) {
        // A guard that should never fire: every call held belongs to a batch in flight, since a
        // cut-off ends its environment with every call not yet sent (ChaosMidBatch.awaitBatchHeld).
        throw new IllegalStateException(
            "chaos: the stop with a batch held at the model did not see it in flight; "
                + watcher.state());
      }
    }
  }

  /** When {@code now}: a manual stop or start whose controller run dies after its step; whether it did. */
  private boolean dyingOverride(boolean start, boolean now) {
    if (!now) {
      return false;
    }
    Optional<String> death = controllers.dyingOverride(start);
    note.accept("manual " + (start ? "start" : "stop") + ": "
        + death.orElse("the run had nothing to change"));
    death.ifPresent(died);
    return true;
  }

  /** A manual override through the controller function, as {@code scripts/offhours endpoint stop|start|auto}. */
  void override(String action) {
    InvokeResponse r = lambda.invoke(i -> i.functionName(LocalDeployment.CONTROLLER_FUNCTION)
        .payload(SdkBytes.fromUtf8String("{\"action\":\"" + action + "\"}")));
    note.accept("manual " + action
        + (r.functionError() != null ? " failed: " + r.payload().asUtf8String() : ""));
  }

  private static void sleep(double seconds) throws InterruptedException {
    Thread.sleep((long) (seconds * 1000));
  }

  @Override
  public void close() {
    lambda.close();
  }
}
