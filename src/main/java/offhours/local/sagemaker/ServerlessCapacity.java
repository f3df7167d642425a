package offhours.local.sagemaker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What a serverless endpoint adds to an invocation, as SageMaker Serverless Inference behaves
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html): at most MaxConcurrency invocations at
 * once, beyond which InvokeEndpoint answers {@code ThrottlingException} (HTTP 400, and no message: SageMaker sends
 * none), and a cold start when the endpoint has served nothing for a while (the first invocation after idle waits for
 * compute to be provisioned; it is slower, not refused).
 *
 * <p>Counted per deployment of an endpoint (the endpoint and its config), so a re-created endpoint starts cold with all
 * its slots, and so does one that UpdateEndpoint moved to a new config: SageMaker re-initializes the container and
 * the model then (https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints-update.html).
 */
final class ServerlessCapacity {

  /** How the local service imitates the cold start: its length, and the idle time after which the next call is cold. */
  record Timing(Duration coldStart, Duration keepWarm) {}

  private record Slots(int inFlight, Instant lastUsed) {}

  private final Clock clock;
  private final Map<String, Slots> slots = new HashMap<>();
  private volatile Timing timing;

  ServerlessCapacity(Clock clock, Timing timing) {
    this.clock = clock;
    this.timing = timing;
  }

  void timing(Timing newTiming) {
    this.timing = newTiming;
  }

  /**
   * Takes one of the endpoint's slots, waiting out a cold start first when the endpoint is cold; the caller must
   * {@link #release} it. Throws the throttling error when all slots are taken.
   */
  void acquire(HostedEndpoint endpoint) {
    int max = endpoint.variant().serverless().maxConcurrency();
    boolean cold;
    synchronized (this) {
      Slots s = slots.get(deployment(endpoint));
      if (s != null && s.inFlight() >= max) {
        throw new AwsError(400, "ThrottlingException", null);
      }
      cold = s == null
          || (s.inFlight() == 0
              && Duration.between(s.lastUsed(), clock.instant()).compareTo(timing.keepWarm()) >= 0);
      slots.put(
          deployment(endpoint),
          new Slots(s == null ? 1 : s.inFlight() + 1, s == null ? clock.instant() : s.lastUsed()));
    }
    if (cold && !timing.coldStart().isZero()) {
      try {
        Thread.sleep(timing.coldStart());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        release(endpoint);
        throw new AwsError(
            500, "InternalFailure", "Interrupted during the cold start of " + endpoint.name());
      }
    }
  }

  synchronized void release(HostedEndpoint endpoint) {
    Slots s = slots.get(deployment(endpoint));
    if (s != null) {
      slots.put(deployment(endpoint), new Slots(Math.max(0, s.inFlight() - 1), clock.instant()));
    }
  }

  /** The endpoint as deployed now: an update to another config is new compute, cold, with all its slots. */
  private static String deployment(HostedEndpoint endpoint) {
    return endpoint.id() + " " + endpoint.configName();
  }
}
