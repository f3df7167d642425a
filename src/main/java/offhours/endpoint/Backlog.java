package offhours.endpoint;

/** The queue the Classify function consumes and its DLQ (port; {@link SqsBacklog} is the AWS adapter). */
public interface Backlog {

  /**
   * GetQueueAttributes: ApproximateNumberOfMessages (visible), ...NotVisible (received, in flight), ...Delayed (the
   * consumer's deferred copies), and the DLQ's visible count. These are approximate by design
   * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-resources-required-process-messages.html).
   */
  record Snapshot(long visible, long inFlight, long delayed, long dead) {
    public static final Snapshot EMPTY = new Snapshot(0, 0, 0, 0);

    /** Nothing waiting, nothing being processed, nothing deferred. */
    public boolean idle() {
      return visible + inFlight + delayed == 0;
    }

    public long total() {
      return visible + inFlight + delayed;
    }
  }

  Snapshot read();
}
