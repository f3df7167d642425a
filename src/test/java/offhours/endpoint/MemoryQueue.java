package offhours.endpoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An images queue in memory, as the sweep sees it: messages in arrival order, each with its receive count and whether
 * a receiver holds it. A receive that finds nothing waits its whole long poll on {@code time}; every call is recorded
 * in {@link #calls}. Public for the stack-delete cleanup's tests ({@code offhours.endpoint.cfn}), which sweep it.
 */
public final class MemoryQueue implements TestEventSweep.SweptQueue, Backlog {
  public static final String TEST_EVENT = "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\","
      + "\"Time\":\"2026-11-25T09:59:58.123Z\",\"Bucket\":\"offhours-images\",\"RequestId\":\"r\",\"HostId\":\"h\"}";
  static final String UPLOAD = "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\","
      + "\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"offhours-images\"},"
      + "\"object\":{\"key\":\"photos/cat.jpg\",\"eTag\":\"e1\"}}}]}";

  /** One message: its body, how often it was received, and whether a receiver holds it now. */
  public static final class Stored {
    final String body;
    int receives;
    boolean held;

    Stored(String body) {
      this.body = body;
    }
  }

  public final List<Stored> messages = new ArrayList<>();
  public final List<String> calls = new ArrayList<>();
  private final PausedTime time;
  /** Thrown by the next call of this name ("receive", "delete", "release", "read"), then cleared. */
  public String failing;
  /** What that call throws; null: an error that is not the SDK's. */
  public RuntimeException failure;

  public MemoryQueue(PausedTime time, String... bodies) {
    this.time = time;
    for (String body : bodies) {
      messages.add(new Stored(body));
    }
  }

  @Override
  public Optional<TestEventSweep.Held> receive(Duration wait, Duration hold) {
    call("receive " + wait.toSeconds() + " s");
    for (Stored m : messages) {
      if (!m.held) {
        m.held = true;
        m.receives++;
        return Optional.of(new TestEventSweep.Held(m.body, handle(m)));
      }
    }
    time.sleep(wait);
    return Optional.empty();
  }

  @Override
  public void delete(TestEventSweep.Held message) {
    call("delete");
    messages.remove(find(message));
  }

  @Override
  public void release(TestEventSweep.Held message) {
    call("release");
    find(message).held = false;
  }

  @Override
  public Snapshot read() {
    call("read");
    long held = messages.stream().filter(m -> m.held).count();
    return new Snapshot(messages.size() - held, held, 0, 0);
  }

  private void call(String what) {
    calls.add(what);
    if (failing != null && what.startsWith(failing)) {
      failing = null;
      throw failure != null
          ? failure
          : new IllegalStateException("SQS answered 500 InternalError to " + what);
    }
  }

  private static String handle(Stored m) {
    return "handle-" + System.identityHashCode(m) + "-" + m.receives;
  }

  private Stored find(TestEventSweep.Held message) {
    return messages.stream()
        .filter(m -> m.held && handle(m).equals(message.receiptHandle()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no held message has " + message.receiptHandle()));
  }
}
