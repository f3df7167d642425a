package offhours.local.sagemaker;

/**
 * The faults a test injects into the next CreateEndpoint calls: so many fail (with a reason) after the creating delay,
 * then so many stall in {@code Creating}. Not thread-safe: {@link Endpoints} calls it under its monitor.
 */
final class CreateFaults {

  /** What happens to a new endpoint after the creating delay. */
  enum Plan {
    LAUNCH,
    FAIL,
    STALL
  }

  private int failNext;
  private String failReason;
  private int stallNext;

  void failNext(int count, String reason) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, was " + count);
    }
    failNext = count;
    failReason = reason;
  }

  void stallNext(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, was " + count);
    }
    stallNext = count;
  }

  /** The plan for the next created endpoint; injected faults are used up in order, failures first. */
  Plan next() {
    if (failNext > 0) {
      failNext--;
      return Plan.FAIL;
    }
    if (stallNext > 0) {
      stallNext--;
      return Plan.STALL;
    }
    return Plan.LAUNCH;
  }

  /** The reason an injected failure gives. */
  String failReason() {
    return failReason;
  }
}
