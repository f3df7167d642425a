package offhours.local.sagemaker;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * InvokeEndpoint calls held at the local SageMaker until {@link #close()}, for chaos runs: a caller in the middle of
 * its work (a Classify batch waiting for the model) stays there for as long as the run needs, whatever the machine's
 * speed. From {@link LocalSageMaker#holdInvocations()}; in-process only.
 */
public final class InvocationHold implements AutoCloseable {
  private final CountDownLatch released = new CountDownLatch(1);
  private final AtomicInteger waiting = new AtomicInteger();
  private final Runnable onRelease;

  InvocationHold(Runnable onRelease) {
    this.onRelease = onRelease;
  }

  /** How many calls wait at the hold now. */
  public int waiting() {
    return waiting.get();
  }

  /** Waits here until the hold is released. */
  void pass() throws InterruptedException {
    waiting.incrementAndGet();
    try {
      released.await();
    } finally {
      waiting.decrementAndGet();
    }
  }

  /** Releases every call held, and lets the calls from now on through. */
  @Override
  public void close() {
    onRelease.run();
    released.countDown();
  }
}
