package offhours.classify;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import offhours.inference.InvocationUsage;
import offhours.inference.ProbeImage;

/**
 * What the records of one batch share: whether the endpoint failed as a whole (then the rest of the batch is
 * deferred without calling it), which images the model crashed on, whether the model read offhours' probe image,
 * and the invocation's deadline. Records run concurrently, so every field is thread-safe.
 */
final class BatchScope {

  /** Without a Lambda context (tests, tools) there is no deadline. */
  static final LongSupplier NO_DEADLINE = () -> Long.MAX_VALUE;

  private final LongSupplier remainingMillis;
  private final AtomicReference<Down> endpointDown = new AtomicReference<>();
  private final Set<String> crashedImages = ConcurrentHashMap.newKeySet();
  private final InvocationUsage usage;
  private ProbeImage.Check probe; // guarded by this

  BatchScope(LongSupplier remainingMillis, InvocationUsage usage) {
    this.remainingMillis = remainingMillis;
    this.usage = usage;
  }

  /** What this batch's invocations that reached the model spent (hosting serverless bills it). */
  InvocationUsage usage() {
    return usage;
  }

  /**
   * Why the endpoint is unusable for the rest of this batch.
   *
   * @param throttled whether it only turned requests away as busy (a deferral for that is not counted)
   */
  record Down(String reason, boolean throttled) {}

  /** Why the endpoint is unusable for the rest of this batch, or null while it is not. */
  Down endpointDown() {
    return endpointDown.get();
  }

  /** Records that the endpoint failed as a whole; the first reason is kept. */
  void endpointDown(String reason) {
    endpointDown(reason, false);
  }

  /** Records that the endpoint failed as a whole, or only throttled; the first reason is kept. */
  void endpointDown(String reason, boolean throttled) {
    endpointDown.compareAndSet(null, new Down(reason, throttled));
  }

  /**
   * Records that the model failed on image {@code identity}. Failures on two different images of one batch are the
   * endpoint's, not the images': the batch is deferred from then on.
   */
  void crashed(String identity, String detail) {
    crashedImages.add(identity);
    if (endpointWide()) {
      endpointDown(
          "the model failed on " + crashedImages.size() + " different images in this batch "
              + detail + "; the endpoint is at fault, not the images");
    }
  }

  /**
   * Whether the model reads offhours' probe image, found out at most once per batch: the first record to ask runs
   * {@code check}; records that ask meanwhile wait for it, and all share its answer.
   */
  synchronized ProbeImage.Check probe(Supplier<ProbeImage.Check> check) {
    if (probe == null) {
      probe = check.get();
    }
    return probe;
  }

  boolean endpointWide() {
    return crashedImages.size() >= 2;
  }

  long remainingMillis() {
    return remainingMillis.getAsLong();
  }

  /** Whether at least {@code needed} of the invocation remains. */
  boolean hasTime(Duration needed) {
    return remainingMillis() >= needed.toMillis();
  }

  /** The time a call may take and still leave {@code reserve} of the invocation; null without a deadline. */
  Duration callTimeout(Duration reserve) {
    long remaining = remainingMillis();
    return remaining == Long.MAX_VALUE
        ? null
        : Duration.ofMillis(Math.max(1, remaining - reserve.toMillis()));
  }
}
