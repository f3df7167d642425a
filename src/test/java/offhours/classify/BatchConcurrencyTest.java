package offhours.classify;

import static offhours.classify.ClassifyHandlerTest.event;
import static offhours.classify.ClassifyHandlerTest.failures;
import static offhours.classify.ClassifyHandlerTest.message;
import static offhours.classify.ClassifyHandlerTest.notification;
import static offhours.classify.Fakes.image;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * README's "processes each batch's records concurrently (bounded by {@code BATCH_CONCURRENCY})": the records of one
 * batch reach the endpoint side by side, never more of them at once than the setting allows.
 */
class BatchConcurrencyTest extends ClassifyRig {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private int started;
  private int inFlight;
  private int peak;

  /**
   * Each invocation holds until every record of the batch has reached the endpoint, or a second has passed: with a
   * bound below the batch's size the first records wait that second side by side, and without a bound all of them
   * meet at once. The peak is what the test reads; the second only keeps a bounded run from waiting forever.
   */
  private String heldUntilAllStarted(int records) {
    lock.lock();
    try {
      started++;
      inFlight++;
      peak = Math.max(peak, inFlight);
      changed.signalAll();
      long left = TimeUnit.SECONDS.toNanos(1);
      while (started < records && left > 0) {
        left = changed.awaitNanos(left);
      }
      inFlight--;
      return "[0.1, 0.7, 0.05, 0.1, 0.05]";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      lock.unlock();
    }
  }

  private SQSEvent fourImages() {
    s3.put(ClassifyHandlerTest.BUCKET, "c.jpg", image("rocket.jpg"), "e3")
        .put(ClassifyHandlerTest.BUCKET, "d.png", image("chelsea.png"), "e4");
    return event(
        message("m1", notification("a.jpg", 112525L, "e1", "")),
        message("m2", notification("b.png", 240512L, "e2", "")),
        message("m3", notification("c.jpg", 112525L, "e3", "")),
        message("m4", notification("d.png", 240512L, "e4", "")));
  }

  @Test
  void theRecordsOfABatchReachTheEndpointSideBySideUpToBatchConcurrencyAndNoMore() {
    SQSEvent batch = fourImages();
    runtime.answer = r -> heldUntilAllStarted(4);

    SQSBatchResponse response = run(batch, "BATCH_CONCURRENCY", "2");

    assertThat(peak).as("records in flight at once, with BATCH_CONCURRENCY 2").isEqualTo(2);
    assertThat(failures(response)).isEmpty();
    assertThat(dynamo.all()).hasSize(4);
  }

  @Test
  void aBoundAsLargeAsTheBatchSendsEveryRecordAtOnce() {
    SQSEvent batch = fourImages();
    runtime.answer = r -> heldUntilAllStarted(4);

    SQSBatchResponse response = run(batch, "BATCH_CONCURRENCY", "8");

    assertThat(peak).as("records in flight at once, with BATCH_CONCURRENCY 8").isEqualTo(4);
    assertThat(runtime.requests).hasSize(4);
    assertThat(failures(response)).isEmpty();
  }
}
