package offhours.classify;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the records of one batch concurrently, at most {@code concurrency} at a time, and reports the
 * records to retry as batch item failures; everything else is acknowledged. This needs
 * {@code FunctionResponseTypes: [ReportBatchItemFailures]} on the event source mapping
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html).
 */
final class BatchProcessor {

  private final MessageClassifier classifier;
  private final int concurrency;

  BatchProcessor(MessageClassifier classifier, int concurrency) {
    this.classifier = classifier;
    this.concurrency = concurrency;
  }

  SQSBatchResponse process(List<SQSMessage> messages) {
    List<BatchItemFailure> failures = new ArrayList<>();
    if (messages == null || messages.isEmpty()) {
      return new SQSBatchResponse(failures);
    }
    AtomicBoolean endpointDown = new AtomicBoolean();
    List<Future<Outcome.Kind>> outcomes = new ArrayList<>(messages.size());
    try (ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, messages.size()))) {
      for (SQSMessage message : messages) {
        outcomes.add(pool.submit(() -> classifier.process(message, endpointDown)));
      }
      for (int i = 0; i < messages.size(); i++) {
        if (!succeeded(outcomes.get(i))) {
          failures.add(new BatchItemFailure(messages.get(i).getMessageId()));
        }
      }
    }
    return new SQSBatchResponse(failures);
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
