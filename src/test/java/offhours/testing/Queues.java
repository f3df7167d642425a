package offhours.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** What integration tests read from a queue. */
public final class Queues {

  private Queues() {}

  /**
   * Receives and deletes until the queue answers empty twice (S3 notifications arrive asynchronously) or 10 s pass;
   * returns the messages but the s3:TestEvent that S3 sends when a notification is configured.
   */
  public static List<Message> drain(SqsClient sqs, String url) {
    List<Message> all = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    int empty = 0;
    while (empty < 2 && System.nanoTime() < deadline) {
      List<Message> batch = sqs.receiveMessage(
              r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
          .messages();
      if (batch.isEmpty()) {
        empty++;
      }
      for (Message m : batch) {
        sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(m.receiptHandle()));
        if (!m.body().contains("s3:TestEvent")) {
          all.add(m);
        }
      }
    }
    return all;
  }
}
