package offhours.local.lambda;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import offhours.local.invocation.Invoked;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The poller of one SQS event source mapping, as Lambda runs it
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html): long-poll the queue, gather a batch up
 * to BatchSize or until the batching window has passed, invoke the function with it, then delete what
 * the function processed. One poller thread per mapping receives; batches are invoked on the shared
 * invoker so that up to MaximumConcurrency of them are in flight.
 */
final class SqsPoller implements Runnable {

  private static final System.Logger LOG = System.getLogger(SqsPoller.class.getName());
  private static final Duration BACKOFF = Duration.ofSeconds(1);

  private final EventSourceMapping mapping;
  private final SqsClient sqs;
  private final Executor invoker;
  private final ScheduledExecutorService timer;
  private final String region;
  private final Duration pollWait;

  SqsPoller(
      EventSourceMapping mapping,
      SqsClient sqs,
      Executor invoker,
      ScheduledExecutorService timer,
      String region,
      Duration pollWait) {
    this.mapping = mapping;
    this.sqs = sqs;
    this.invoker = invoker;
    this.timer = timer;
    this.region = region;
    this.pollWait = pollWait;
  }

  @Override
  public void run() {
    String queueUrl = null;
    try {
      while (mapping.alive()) {
        if (!mapping.reserve(pollWait)) {
          continue;
        }
        EventSourceMapping.MappingSettings config = mapping.config();
        List<Message> batch = new ArrayList<>();
        try {
          if (queueUrl == null) {
            queueUrl = queueUrl(mapping.eventSourceArn);
          }
          gather(queueUrl, config, batch);
        } catch (RuntimeException e) {
          // Lambda keeps polling a queue it cannot read (deleted, unreachable); so do we, slowly.
          LOG.log(
              Level.WARNING,
              "mapping {0}: cannot receive from {1}: {2}",
              mapping.uuid,
              mapping.eventSourceArn,
              e.getMessage());
          if (batch.isEmpty()) {
            mapping.release();
            mapping.pause(BACKOFF);
            continue;
          }
        }
        if (batch.isEmpty()) {
          mapping.release();
          continue;
        }
        dispatch(queueUrl, config, batch);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The queue URL for an ARN arn:aws:sqs:region:account:name. */
  private String queueUrl(String arn) {
    String[] parts = arn.split(":", 6);
    return sqs.getQueueUrl(r -> r.queueName(parts[5])).queueUrl();
  }

  /**
   * Long-polls until the batch is full or, with a batching window, until the window that opened with
   * the first message has passed; with window 0 the batch goes as soon as a receive returns messages.
   * Each receive waits at most {@code pollWait}, so disabling the mapping stops receiving within it.
   */
  private void gather(
      String queueUrl, EventSourceMapping.MappingSettings config, List<Message> batch) {
    long windowEnd = Long.MAX_VALUE;
    while (batch.size() < config.batchSize() && mapping.pollable()) {
      long waitMillis = pollWait.toMillis();
      if (!batch.isEmpty()) {
        long left = TimeUnit.NANOSECONDS.toMillis(windowEnd - System.nanoTime());
        if (left <= 0) {
          break;
        }
        waitMillis = Math.min(waitMillis, left);
      }
      int waitSeconds = (int) Math.min(20, (waitMillis + 999) / 1000);
      int max = Math.min(10, config.batchSize() - batch.size());
      List<Message> received = sqs.receiveMessage(r -> r.queueUrl(queueUrl)
              .maxNumberOfMessages(max)
              .waitTimeSeconds(waitSeconds)
              .messageSystemAttributeNamesWithStrings("All")
              .messageAttributeNames("All"))
          .messages();
      if (!received.isEmpty() && batch.isEmpty()) {
        windowEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.batchingWindowSeconds());
      }
      batch.addAll(received);
      if (!batch.isEmpty() && config.batchingWindowSeconds() == 0) {
        break;
      }
    }
  }

  private void dispatch(
      String queueUrl, EventSourceMapping.MappingSettings config, List<Message> batch) {
    mapping.invoking(batch.size());
    try {
      invoker.execute(() -> invoke(queueUrl, config, batch));
    } catch (RejectedExecutionException e) {
      // LocalLambda is closing: the messages were not processed and reappear after their visibility
      // timeout.
      mapping.finished(batch.size(), 0, true);
    }
  }

  private void invoke(
      String queueUrl, EventSourceMapping.MappingSettings config, List<Message> batch) {
    int deleted = 0;
    boolean error = true;
    try {
      Invoked invocation = OneInvocation.run(
          mapping.function, SqsBatches.event(batch, mapping.eventSourceArn, region), timer);
      error = invocation.failed();
      List<Message> toDelete = error
          ? List.of()
          : SqsBatches.toDelete(batch, invocation.response(), config.reportBatchItemFailures());
      deleted = delete(queueUrl, toDelete);
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "mapping " + mapping.uuid + ": could not complete a batch", e);
    } finally {
      mapping.finished(batch.size(), deleted, error);
    }
  }

  private int delete(String queueUrl, List<Message> messages) {
    int deleted = 0;
    for (int from = 0; from < messages.size(); from += 10) {
      List<Message> chunk = messages.subList(from, Math.min(messages.size(), from + 10));
      List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
      for (int i = 0; i < chunk.size(); i++) {
        entries.add(DeleteMessageBatchRequestEntry.builder()
            .id(Integer.toString(i))
            .receiptHandle(chunk.get(i).receiptHandle())
            .build());
      }
      DeleteMessageBatchResponse response =
          sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
      deleted += response.successful().size();
      response
          .failed()
          .forEach(f -> LOG.log(
              Level.WARNING,
              "mapping {0}: delete failed: {1} {2}",
              mapping.uuid,
              f.code(),
              f.message()));
    }
    return deleted;
  }
}
