package offhours.classify;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import offhours.aws.UsageLedger;
import offhours.classify.MessageClassifier.Conclusion;
import offhours.classify.MessageClassifier.Evaluation;

/**
 * Runs the records of one batch concurrently, at most {@code concurrency} at a time, and reports the
 * records to retry as batch item failures; everything else is acknowledged. This needs
 * {@code FunctionResponseTypes: [ReportBatchItemFailures]} on the event source mapping
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html).
 *
 * <p>Two rounds: every message is evaluated first; only then is each concluded (deferred copies sent, crashes
 * settled), because whether a model failure is the image's fault depends on the rest of the batch.
 */
final class BatchProcessor {

  private final MessageClassifier classifier;
  private final OutcomeLog log;
  private final ExecutorService pool;
  private final UsageLedger usage;
  private final ExecutorService conclusions;
  private final RetryPace pace;

  /**
   * The worker threads are made once, with the handler (Lambda's init phase), not per batch: starting and
   * joining a fresh pool cost ~0.85 ms of CPU per batch, 17x the consumer's whole per-record budget
   * (ConsumerBenchmark). Idle workers end after a minute, so a handler that is no longer used leaves none.
   *
   * <p>Conclusions (a crash's verdict, a deferred copy, the log line; results are written as messages are evaluated)
   * have workers of their own: a batch whose records are all evaluated ends as soon as its own conclusions are done,
   * never behind evaluations queued by other batches on the same handler (local mode ran concurrent batches through
   * one handler until its Lambda gave each an execution environment of its own, as Lambda does). Behind them, batches
   * ended in lockstep and the poller refilled them all at once while the endpoint sat idle: 0.76-0.89 of a stand-in
   * endpoint's capacity.
   */
  BatchProcessor(
      MessageClassifier classifier,
      OutcomeLog log,
      int concurrency,
      UsageLedger usage,
      RetryPace pace) {
    this.classifier = classifier;
    this.log = log;
    this.usage = usage;
    this.pace = pace;
    this.pool = workers("offhours-classify-", concurrency);
    this.conclusions = workers("offhours-conclude-", concurrency);
  }

  private static ExecutorService workers(String prefix, int concurrency) {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor executor = new ThreadPoolExecutor(
        concurrency, concurrency, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, prefix + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }

  /**
   * Returns the ids of the messages to retry, each hidden first for its retry pause ({@link RetryPace}).
   * {@code remainingMillis} is the invocation's time left (Lambda's context); no record is started that it cannot
   * cover.
   */
  List<String> process(List<QueueMessage> messages, LongSupplier remainingMillis) {
    BatchScope scope = new BatchScope(remainingMillis, usage.tally());
    try {
      List<RetryPace.FailedMessage> failed = process(messages, scope);
      pace.pace(failed, scope);
      return failed.stream().map(f -> f.message().messageId()).toList();
    } finally {
      // Last of the batch: what the deadline leaves it; with no time left the tally is lost and
      // logged as such.
      usage.add(
          scope.usage(),
          () -> scope.writeTimeout(
              BatchScope.Write.LEDGER, "this batch's serverless invocations in the ledger"));
    }
  }

  private List<RetryPace.FailedMessage> process(List<QueueMessage> messages, BatchScope scope) {
    List<RetryPace.FailedMessage> failures = new ArrayList<>();
    if (messages.size() == 1) { // nothing to overlap: no hand-off to a worker
      QueueMessage message = messages.getFirst();
      Evaluation evaluation = guarded(message, () -> classifier.evaluate(message, scope));
      Conclusion conclusion = evaluation == null
          ? null
          : guarded(message, () -> classifier.conclude(evaluation, scope));
      addIfFailed(failures, message, conclusion);
      return failures;
    }
    List<Future<Evaluation>> evaluations = new ArrayList<>(messages.size());
    for (QueueMessage message : messages) {
      evaluations.add(
          pool.submit(() -> guarded(message, () -> classifier.evaluate(message, scope))));
    }
    List<Evaluation> evaluated = new ArrayList<>(messages.size());
    for (Future<Evaluation> evaluation : evaluations) {
      evaluated.add(result(evaluation)); // every message evaluated before any is concluded
    }
    List<Future<Conclusion>> kinds = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      QueueMessage message = messages.get(i);
      Evaluation evaluation = evaluated.get(i);
      kinds.add(
          evaluation == null
              ? null
              : conclusions.submit(
                  () -> guarded(message, () -> classifier.conclude(evaluation, scope))));
    }
    for (int i = 0; i < messages.size(); i++) {
      addIfFailed(failures, messages.get(i), kinds.get(i) == null ? null : result(kinds.get(i)));
    }
    return failures;
  }

  /** A message whose conclusion is not acknowledged is retried; without one (a bug logged) it failed. */
  private static void addIfFailed(
      List<RetryPace.FailedMessage> failures, QueueMessage message, Conclusion conclusion) {
    if (conclusion == null) {
      failures.add(new RetryPace.FailedMessage(message, RetryPace.RetryCause.FAILURE));
    } else if (!conclusion.kind().acknowledged()) {
      failures.add(new RetryPace.FailedMessage(
          message, conclusion.cause() == null ? RetryPace.RetryCause.FAILURE : conclusion.cause()));
    }
  }

  /**
   * Runs one step for one message; anything it did not expect is logged with the message id and the exception
   * (the same line on the inline and the worker path) and gives null: the message is retried.
   */
  private <T> T guarded(QueueMessage message, Callable<T> step) {
    try {
      return step.call();
    } catch (Exception | Error e) {
      log.unexpected(message.messageId(), e);
      return null;
    }
  }

  private static <T> T result(Future<T> future) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      return null; // guarded() already logged it; nothing else runs in the pool
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
