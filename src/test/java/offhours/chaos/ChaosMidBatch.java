package offhours.chaos;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import offhours.local.LocalDeployment;
import offhours.local.lambda.LocalLambda;
import offhours.local.sagemaker.InvocationHold;

/**
 * The first cycle's batches held at the model: one cut off mid-way, then one held while the stop lands. Each step
 * waits for the state the next needs: no cut-off pending or armed before the held batch is cut, the batches in flight
 * at the cut-off ended and a later batch finished before the stop's hold, a batch that started after that hold in
 * flight with calls held before the stop (one race left: {@link #awaitBatchHeld}). The caller keeps the timed faults
 * away meanwhile.
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
   * <p>One race is left: a call of a batch cut off earlier can be taken for it. A cut-off ends the handler, not the
   * model calls its workers had started or queued, and nothing in a call says which batch made it. The handler's
   * workers take their tasks in order from one queue, so once a later batch that went through them has finished, the
   * cut batch's tasks have all been taken, but not finished: one can still be downloading its image (and a
   * one-message batch runs on its invocation's thread, not the workers). Such a call held here while the batch in
   * flight needs no model lets that batch end before the stop is checked, and {@link ChaosCycles} fails the run
   * saying so: it never counts a drain that did not happen.
   */
  void awaitBatchHeld(InvocationHold hold) throws InterruptedException {
    long started = watcher.classify().batches();
    watcher.await(
        "a Classify batch that started after the hold waiting at the model before the stop", () -> {
          LocalLambda.Stats now = watcher.classify();
          return now.batches() > started && now.invoking() > 0 && hold.waiting() > 0;
        });
  }

  /**
   * Cuts a Classify invocation off while its batch waits at the model: the cut-off's moment comes while the handler
   * is mid-way, whatever the machine's speed. A cut-off taken by a batch that needs no model (poison only) is outrun;
   * then the next invocation gets one. Returns once no cut-off is left pending or armed, the batches in flight at the
   * cut-off have ended and a batch that started later has finished (see {@link #awaitBatchHeld} for what that leaves).
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
    long batches;
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
      batches = watcher.classify().batches();
    }
    // Released: the cut batch's workers go on with the calls they had started or queued. A
    // batch that started later and finished through the workers had its tasks taken after those.
    watcher.await("a Classify batch that started after the cut-off finished", () -> {
      LocalLambda.Stats now = watcher.classify();
      return now.batches() - now.invoking() > batches;
    });
  }

  /** Whether every cut-off asked so far has ended its invocation or been outrun: none pending or armed. */
  private boolean settled(LocalLambda.Cuts cuts) {
    return cuts.pending() == 0 && cuts.cut() + cuts.outrun() == asked.get();
  }
}
