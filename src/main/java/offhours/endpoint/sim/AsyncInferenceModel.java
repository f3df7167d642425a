package offhours.endpoint.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import offhours.units.Plurals;

/**
 * SageMaker Asynchronous Inference on the same uploads, set up as AWS's guide shows: each upload is sent with
 * InvokeEndpointAsync (its input already in S3) and waits in the endpoint's own queue; the variant scales from 0 to
 * one instance through a step policy on {@code HasBacklogWithoutCapacity} and back to 0 through target tracking on
 * {@code ApproximateBacklogSizePerInstance}. One instance at most (MaxCapacity 1), serving first come, first served
 * at {@link HostingAssumptions#service()} per image, as every instance row of the comparison; billed per
 * instance-hour while the instance exists. A request still queued {@link #REQUEST_TTL} after its invocation expires:
 * it never gets a result, and counts as a miss.
 *
 * <p>Sources: https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference.html,
 * https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-autoscale.html,
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpointAsync.html.
 */
final class AsyncInferenceModel {

  /**
   * A request that finds no instance to the step policy's scaling action: AWS's guide alarms on {@code
   * HasBacklogWithoutCapacity} with Period 60, EvaluationPeriods 2 and DatapointsToAlarm 2, so two one-minute
   * datapoints with a backlog (https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-autoscale.html,
   * "Optional: Define a scaling policy that scales up from zero for new requests").
   */
  static final Duration SCALE_OUT_ALARM = Duration.ofMinutes(2);

  /**
   * The scaling action to the first request served: an instance launched and the model loaded on it. AWS gives no
   * figure for an asynchronous variant; the same minutes as the scale-to-zero row's instance and model copy ({@link
   * ComponentTimes#DEFAULTS}, measured ~5-10 min to the first answer), since both launch an ML instance and start the
   * same container. Billed from the scaling action on.
   */
  static final Duration LAUNCH_AND_LOAD = ComponentTimes.DEFAULTS.wake();

  /**
   * The last request served to the instance gone: the target-tracking policy on {@code
   * ApproximateBacklogSizePerInstance} (which counts the requests queued and in processing) scales in only once its
   * low alarm has seen the backlog under the target long enough; AWS says scale-in is deliberately slower than
   * scale-out
   * (https://docs.aws.amazon.com/autoscaling/application/userguide/target-tracking-scaling-policy-overview.html) but
   * publishes no datapoint count for the alarms it creates. 15 one-minute datapoints, as the scale-to-zero row gives
   * the same kind of policy on its copies ({@link HostingAssumptions#copiesIdle()}, DESIGN.md's ~11-15 min). Billed
   * until then; an upload before then reuses the instance.
   */
  static final Duration SCALE_IN_IDLE = Duration.ofMinutes(15);

  /**
   * InvokeEndpointAsync's RequestTTLSeconds: the most a request may wait in the queue before it is marked expired;
   * the default is 21,600 s (6 h) and so is the maximum (the API's valid range is 60-21,600 s):
   * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpointAsync.html. A weekend or a
   * closure held at 0 instances outlives it; an SQS queue keeps a message up to 14 days.
   */
  static final Duration REQUEST_TTL = Duration.ofHours(6);

  private AsyncInferenceModel() {}

  static HostingRow asynchronous(
      HostingModels.Period p, HostingAssumptions a, HostingPrices prices) {
    List<Instant[]> billed = new ArrayList<>();
    List<Instant[]> results = new ArrayList<>();
    List<Instant> expired = new ArrayList<>();
    Instant free = Instant.MIN; // the instance's next free moment
    Instant gone = Instant.MIN; // when the scale-in removes the instance
    Instant billedFrom = null;
    for (Instant u : p.uploads()) {
      Instant start = HostingModels.later(u, free);
      if (!start.isBefore(gone)) {
        // No instance: the request waits in the queue, the backlog alarm adds one.
        if (billedFrom != null) {
          billed.add(new Instant[] {billedFrom, gone});
        }
        billedFrom = start.plus(SCALE_OUT_ALARM);
        start = billedFrom.plus(LAUNCH_AND_LOAD);
        free = start;
        gone = start.plus(SCALE_IN_IDLE);
      }
      Instant expiry = u.plus(REQUEST_TTL);
      if (start.isAfter(expiry)) {
        // Dropped unserved: it takes no instance time. Past the period it is still waiting.
        if (!expiry.isAfter(p.end())) {
          expired.add(u);
        }
        continue;
      }
      Instant done = start.plus(a.service());
      if (!done.isAfter(p.end())) {
        results.add(new Instant[] {u, done});
      }
      free = done;
      gone = done.plus(SCALE_IN_IDLE);
    }
    if (billedFrom != null) {
      billed.add(new Instant[] {billedFrom, gone});
    }
    billed.removeIf(b -> !b[0].isBefore(p.end()));
    billed.replaceAll(b -> new Instant[] {b[0], HostingModels.earlier(b[1], p.end())});
    double hours = HostingModels.hours(billed);
    int launches = billed.size();
    return new HostingRow(
        "asynchronous",
        hours,
        "endpoint-h",
        hours * prices.instanceHourUsd(),
        WaitStats.of(p.uploads(), results, expired, p.end(), p.budget()),
        billed,
        results,
        String.format(
            Locale.ROOT,
            "wake %s, idle to 0: %s; %s; %d expired (queued > %d h)",
            HostingModels.minutes(SCALE_OUT_ALARM.plus(LAUNCH_AND_LOAD)),
            HostingModels.minutes(SCALE_IN_IDLE),
            Plurals.of(launches, "launch", "launches"),
            expired.size(),
            REQUEST_TTL.toHours()));
  }
}
