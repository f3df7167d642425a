package offhours.inference;

import java.util.concurrent.atomic.LongAdder;

/**
 * What a batch, a request or a priming spent on the endpoint: invocations that reached the model, their time, and
 * the bytes sent and received (the image and the body InvokeEndpoint answered). Thread-safe: a batch's records add
 * to it concurrently.
 */
public final class InvocationUsage {
  private final LongAdder invocations = new LongAdder();
  private final LongAdder millis = new LongAdder();
  private final LongAdder bytes = new LongAdder();

  public void add(long elapsedMillis, long sentBytes, long receivedBytes) {
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
