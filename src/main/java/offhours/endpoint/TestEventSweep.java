package offhours.endpoint;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import offhours.aws.S3TestEvent;
import offhours.inference.AwsFailures;
import offhours.units.Plurals;

/**
 * Takes the s3:TestEvent off the images queue after a deploy put the bucket's notification configuration: the stack's
 * custom resource ({@link offhours.endpoint.cfn.EndpointCleanup}) on AWS, and local mode's start on moto_server,
 * which sends the same message (offhours.local.DeploymentWiring). S3 sends that
 * message to the queue when the configuration is put: PutBucketNotificationConfiguration validates an SQS destination
 * by sending it a test message
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html shows its shape; {@link
 * S3TestEvent} recognises it, as Classify does). The trigger is disabled until the endpoint answers, so nothing
 * consumes it, and the controller counts every message as an upload: left there, it would wake the endpoint (8-30
 * minutes billed) for nothing after every first deploy.
 *
 * <p>Receiving costs a message one receive of its MaxReceiveCount, and uploads waiting for the endpoint must not spend
 * their retry budget. So the sweep receives one message at a time, deletes test events, and stops at the first other
 * message, which it makes visible again at once: that one message is the only upload it can touch, with one receive.
 * When uploads may already wait (a stack update) and the queue's counters show more than one message, it receives
 * nothing at all: those uploads wake the endpoint anyway, and Classify then acknowledges the test event. While the
 * trigger polls, Classify acknowledges the test event itself and the sweep stays out of its way.
 *
 * <p>It never throws: whatever stops it (time, an AWS error) is said in its {@link Swept#note}; the test event left
 * behind then costs at most one wake.
 */
public final class TestEventSweep {

  /**
   * One receive's long poll: the test event is in the queue when S3 answers the put, so an empty poll ends the sweep.
   */
  static final Duration POLL = Duration.ofSeconds(10);

  /** The calls a failure names: what the sweep reads before it receives, and the receive itself. */
  private static final String READ = "the trigger's or the queue's read";

  private static final String RECEIVE = "the queue's receive or delete";

  /** The longest sweep, whatever time the invocation has left. */
  static final Duration LONGEST = Duration.ofSeconds(60);

  /** How long a received message stays invisible if the sweep dies before handing it back. */
  private static final Duration HOLD = Duration.ofSeconds(30);

  /** The images queue as far as the sweep touches it (port; {@link SqsSweptQueue} is the AWS adapter). */
  public interface SweptQueue {
    /** At most one message, waiting up to {@code wait} for one; invisible to other receivers for {@code hold}. */
    Optional<Held> receive(Duration wait, Duration hold);

    void delete(Held message);

    /** Makes the message visible again now (ChangeMessageVisibility 0). */
    void release(Held message);
  }

  /** A message the sweep received. */
  public record Held(String body, String receiptHandle) {}

  /**
   * How many test events the sweep deleted, and in words what it did and why it stopped; {@code awsSaid}: when AWS
   * failed a call, what it answered, named by the call ({@link ClaimedStep#answerTo}), for the function's log line only
   * (it may name the account, and the note is the stack event's Reason); else null.
   */
  public record Swept(int deleted, String note, String awsSaid) {
    Swept(int deleted, String note) {
      this(deleted, note, null);
    }
  }

  private final Mapping mapping;
  private final Backlog backlog;
  private final SweptQueue queue;
  private final Clock clock;
  private final String caller;

  /**
   * {@code caller} names what runs the sweep, whose role makes its calls and whose log has AWS's answer to one that
   * failed ({@link AwsFailures#words}): "the cleanup function" on AWS, "the local stack" in local mode.
   */
  public TestEventSweep(
      Mapping mapping, Backlog backlog, SweptQueue queue, Clock clock, String caller) {
    this.mapping = Objects.requireNonNull(mapping, "mapping");
    this.backlog = Objects.requireNonNull(backlog, "backlog");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.caller = Objects.requireNonNull(caller, "caller");
  }

  /**
   * Sweeps for at most {@code budget} (and {@link #LONGEST}).
   *
   * @param uploadsMayWait false only for the stack's new queue, which nothing but S3's test events can have reached
   */
  public Swept sweep(boolean uploadsMayWait, Duration budget) {
    try {
      if (mapping.state().polling()) {
        return new Swept(
            0, "test-event sweep: the trigger is polling, so Classify acknowledges it");
      }
      if (uploadsMayWait) {
        long waiting = backlog.read().total();
        if (waiting > 1) {
          return new Swept(
              0,
              "test-event sweep skipped: " + waiting
                  + " messages wait, so uploads may be among them and none"
                  + " is received; the endpoint wakes for them anyway and Classify acknowledges the test event");
        }
      }
    } catch (RuntimeException e) {
      return new Swept(0, failed(READ, 0, e), ClaimedStep.answerTo(READ, e));
    }
    return receive(budget.compareTo(LONGEST) < 0 ? budget : LONGEST);
  }

  private Swept receive(Duration budget) {
    Instant deadline = clock.instant().plus(budget);
    int deleted = 0;
    try {
      while (true) {
        long seconds = Math.min(
            POLL.toSeconds(), Duration.between(clock.instant(), deadline).toSeconds());
        if (seconds < 1) {
          return new Swept(
              deleted,
              "test-event sweep: deleted " + testEvents(deleted) + "; stopped after "
                  + budget.toSeconds() + " s, before the queue answered empty");
        }
        Optional<Held> received = queue.receive(Duration.ofSeconds(seconds), HOLD);
        if (received.isEmpty()) {
          return new Swept(
              deleted, "test-event sweep: deleted " + testEvents(deleted) + "; the queue is empty");
        }
        Held message = received.get();
        if (!S3TestEvent.is(message.body())) {
          queue.release(message);
          return new Swept(
              deleted,
              "test-event sweep: deleted " + testEvents(deleted) + "; stopped at a message"
                  + " that is no test event, visible again at once (one receive spent)");
        }
        queue.delete(message);
        deleted++;
      }
    } catch (RuntimeException e) {
      return new Swept(deleted, failed(RECEIVE, deleted, e), ClaimedStep.answerTo(RECEIVE, e));
    }
  }

  private static String testEvents(int deleted) {
    return Plurals.of(deleted, "s3:TestEvent message");
  }

  private String failed(String call, int deleted, RuntimeException e) {
    return "test-event sweep stopped ("
        + AwsFailures.words(call, caller, e)
        + ") after deleting " + testEvents(deleted)
        + "; one left in the queue may wake the endpoint once, and Classify"
        + " acknowledges it; a message it received is visible again within " + HOLD.toSeconds()
        + " s";
  }
}
