package offhours.local.lambda;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import offhours.local.invocation.LambdaContext;
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
      BatchInvocation invocation =
          BatchInvocation.run(mapping.function, batch, mapping.eventSourceArn, region, timer);
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

  /** One call of the handler, cut off at the function timeout as Lambda does. */
  private record BatchInvocation(byte[] response, boolean failed) {

    private static BatchInvocation run(
        LocalFunction function,
        List<Message> batch,
        String queueArn,
        String region,
        ScheduledExecutorService timer) {
      ExecutionEnvironment environment = function.environments().take();
      LambdaContext context = new LambdaContext(
          UUID.randomUUID().toString(),
          function.name(),
          function.arn(),
          System.nanoTime() + function.timeout().toNanos());
      LocalFunction.Limit cutOff = function.nextLimit();
      Duration limit = cutOff.duration();
      // The moment a cut-off ends a running handler counts, not the handler's return: a handler can
      // be held (a chaos run) until that count is seen. By then its environment has ended.
      Watchdog watchdog = new Watchdog(Thread.currentThread(), () -> {
        function.environments().end(environment);
        if (cutOff.cut()) {
          function.cutOffs().fired.incrementAndGet();
        }
      });
      ScheduledFuture<?> alarm =
          timer.schedule(watchdog::expire, limit.toNanos(), TimeUnit.NANOSECONDS);
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      Throwable thrown = null;
      try {
        environment
            .handler()
            .handleRequest(
                new ByteArrayInputStream(SqsBatches.event(batch, queueArn, region)),
                response,
                context);
      } catch (IOException | RuntimeException | Error e) {
        thrown = e;
      } finally {
        alarm.cancel(false);
      }
      boolean expired = watchdog.finish();
      function.environments().release(environment);
      if (cutOff.cut() && !expired) {
        function.cutOffs().outrun.incrementAndGet();
      }
      if (expired) {
        context
            .getLogger()
            .log(
                limit.equals(function.timeout())
                    ? "Task timed out after " + function.timeout().toMillis() / 1000.0 + " seconds"
                    : "Invocation cut off after " + limit.toMillis() / 1000.0
                        + " seconds (a crash injected by a chaos run)");
        return new BatchInvocation(null, true);
      }
      if (thrown != null) {
        context.getLogger().log("Invocation failed: " + thrown);
        return new BatchInvocation(null, true);
      }
      return new BatchInvocation(response.toByteArray(), false);
    }
  }

  /** Interrupts a handler that outlives its timeout, and never a thread that has moved on to other work. */
  private static final class Watchdog {
    private final Thread thread;
    private final Runnable onExpire;
    private boolean done; // guarded by this
    private boolean expired; // guarded by this

    private Watchdog(Thread thread, Runnable onExpire) {
      this.thread = thread;
      this.onExpire = onExpire;
    }

    private synchronized void expire() {
      if (!done) {
        expired = true;
        onExpire.run();
        thread.interrupt();
      }
    }

    /** Ends the watch and clears an interrupt it caused; returns whether the handler timed out. */
    private boolean finish() {
      boolean timedOut;
      synchronized (this) {
        done = true;
        timedOut = expired;
      }
      if (timedOut) {
        Thread.interrupted(); // the interrupt happened inside expire(), before done was set
      }
      return timedOut;
    }
  }
}
