package offhours.chaos;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import offhours.local.LocalDeployment;
import offhours.local.lambda.LocalLambda;
import offhours.local.lambda.MappingStats;
import offhours.local.sagemaker.InvocationHold;

/**
 * The first cycle's batches held at the model: one cut off mid-way, then one held while the stop lands. Each step
 * waits for the state the next needs: no cut-off pending or armed before the held batch is cut, the cut-off counted
 * (its environment ended by then) before the stop's hold, a batch that started after that hold in flight with calls
 * held before the stop ({@link #awaitBatchHeld}). The caller keeps the timed faults away meanwhile.
 */
final class ChaosMidBatch {
  private final LocalDeployment stack;
  private final ChaosWatcher watcher;
  /** Asks a cut-off of the next Classify invocation (counted and noted by the caller). */
  private final Consumer<Duration> cutOff;
  /** Cut-offs asked so far, by anyone in the run. */
  private final AtomicInteger asked;

  private final Consumer<String> note;

  ChaosMidBatch(
      LocalDeployment stack,
      ChaosWatcher watcher,
      Consumer<Duration> cutOff,
      AtomicInteger asked,
      Consumer<String> note) {
    this.stack = stack;
    this.watcher = watcher;
    this.cutOff = cutOff;
    this.asked = asked;
    this.note = note;
  }

  /**
   * Waits until a batch that started after the hold is in flight with calls held at the model. Held, that batch
   * cannot end before the stop.
   *
   * <p>Nothing in a call says which batch made it, and none needs to: every call held here belongs to a batch in
   * flight. A cut-off ends its invocation's execution environment, as Lambda shuts down an environment whose
   * invocation timed out: the calls its workers had started or queued (an image still downloading) are refused before
   * they are sent ({@code ExecutionEnvironment}), so none of a cut batch's calls reaches the model after the cut-off.
   * {@link ChaosCycles} still fails the run if the stop finds no batch in flight: it never counts a drain that did
   * not happen.
   */
  void awaitBatchHeld(InvocationHold hold) throws InterruptedException {
    long started = watcher.classify().batches();
    watcher.await(
        "a Classify batch that started after the hold waiting at the model before the stop", () -> {
          MappingStats now = watcher.classify();
          return now.batches() > started && now.invoking() > 0 && hold.waiting() > 0;
        });
  }

  /**
   * Cuts a Classify invocation off while its batch waits at the model: the cut-off's moment comes while the handler
   * is mid-way, whatever the machine's speed. A cut-off taken by a batch that needs no model (poison only) is outrun;
   * then the next invocation gets one. Returns once the cut-off has ended its invocation (and with it the
   * invocation's environment) and no cut-off is left pending or armed.
   */
  void cut(Random r) throws InterruptedException {
    String function = stack.names().classifyFunction();
    LocalLambda local = stack.services().lambda();
    // A timed cut-off still pending would take the batch meant for this one and leave this one for
    // the batch held for the stop; one armed would end a batch at its own moment.
    watcher.await(
        "every cut-off asked so far ended its invocation or was outrun",
        () -> settled(local.cuts(function)));
    LocalLambda.Cuts before = local.cuts(function);
    try (InvocationHold hold = stack.services().sageMaker().holdInvocations()) {
      long[] outrun = {before.outrun()};
      cutOff.accept(Duration.ofMillis(50 + r.nextInt(450)));
      watcher.await("a Classify invocation cut off while its batch waited at the model", () -> {
        LocalLambda.Cuts now = local.cuts(function);
        if (now.pending() == 0 && now.outrun() > outrun[0]) {
          outrun[0] = now.outrun();
          cutOff.accept(Duration.ofMillis(50));
        }
        return now.cut() > before.cut() && settled(now);
      });
      note.accept(
          "a batch held at the model was cut off mid-way (" + hold.waiting() + " calls held)");
    }
    // Released: the calls held here were sent before the cut-off and go on to the model; the
    // cut batch's environment sends nothing more.
  }

  /** Whether every cut-off asked so far has ended its invocation or been outrun: none pending or armed. */
  private boolean settled(LocalLambda.Cuts cuts) {
    return cuts.pending() == 0 && cuts.cut() + cuts.outrun() == asked.get();
  }
}
