package offhours.inference;

import java.util.concurrent.atomic.LongAdder;

/**
 * What a batch, a request or a priming spent on the endpoint: invocations that reached the model, their time, and
 * the bytes sent and received (the image and the body InvokeEndpoint answered). Thread-safe: a batch's records add
 * to it concurrently.
 */
public final class InvocationUsage {
  /**
   * A tally nobody reads (a hosting that bills instance time, not invocations): it adds nothing, and {@link
   * InferenceClient#send(byte[], java.time.Duration, InvocationUsage)} does not meter the call for it.
   */
  public static final InvocationUsage UNMETERED = new InvocationUsage(false);

  private final boolean metered;
  private final LongAdder invocations = new LongAdder();
  private final LongAdder millis = new LongAdder();
  private final LongAdder bytes = new LongAdder();

  public InvocationUsage() {
    this(true);
  }

  private InvocationUsage(boolean metered) {
    this.metered = metered;
  }

  /** Whether what is added here is read: false only for {@link #UNMETERED}. */
  public boolean metered() {
    return metered;
  }

  public void add(long elapsedMillis, long sentBytes, long receivedBytes) {
    if (!metered) {
      return;
    }
    invocations.increment();
    millis.add(elapsedMillis);
    bytes.add(sentBytes + receivedBytes);
  }

  public long invocations() {
    return invocations.sum();
  }

  public long millis() {
    return millis.sum();
  }

  public long bytes() {
    return bytes.sum();
  }
}
