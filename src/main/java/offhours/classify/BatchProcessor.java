package offhours.classify;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the records of one batch concurrently, at most {@code concurrency} at a time, and reports the
 * records to retry as batch item failures; everything else is acknowledged. This needs
 * {@code FunctionResponseTypes: [ReportBatchItemFailures]} on the event source mapping
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html).
 */
final class BatchProcessor {

  private final MessageClassifier classifier;
  private final ExecutorService pool;

  /**
   * The worker threads are made once, with the handler (Lambda's init phase), not per batch: starting and
   * joining a fresh pool cost ~0.85 ms of CPU per batch, 17x the consumer's whole per-record budget
   * (ConsumerBenchmark). Idle workers end after a minute, so a handler that is no longer used leaves none.
   */
  BatchProcessor(MessageClassifier classifier, int concurrency) {
    this.classifier = classifier;
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor executor = new ThreadPoolExecutor(concurrency, concurrency, 60, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "offhours-classify-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    executor.allowCoreThreadTimeOut(true);
    this.pool = executor;
  }

  /** Returns the ids of the messages to retry. */
  List<String> process(List<QueueMessage> messages) {
    List<String> failures = new ArrayList<>();
    if (messages.isEmpty()) {
      return failures;
    }
    AtomicBoolean endpointDown = new AtomicBoolean();
    if (messages.size() == 1) { // nothing to overlap: no hand-off to a worker
      QueueMessage message = messages.getFirst();
      if (!succeeded(() -> classifier.process(message, endpointDown))) {
        failures.add(message.messageId());
      }
      return failures;
    }
    List<Future<Outcome.Kind>> outcomes = new ArrayList<>(messages.size());
    for (QueueMessage message : messages) {
      outcomes.add(pool.submit(() -> classifier.process(message, endpointDown)));
    }
    for (int i = 0; i < messages.size(); i++) {
      if (!succeeded(outcomes.get(i))) {
        failures.add(messages.get(i).messageId());
      }
    }
    return failures;
  }

  private static boolean succeeded(java.util.function.Supplier<Outcome.Kind> inline) {
    try {
      return inline.get().acknowledged();
    } catch (RuntimeException e) {
      return false; // as for a worker's ExecutionException: anything process() did not expect is retried
    }
  }

  private static boolean succeeded(Future<Outcome.Kind> outcome) {
    try {
      return outcome.get().acknowledged();
    } catch (ExecutionException e) {
      return false; // process() catches everything it expects; anything else is retried
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
