package offhours.endpoint.sim;

import java.time.Instant;
import java.util.Optional;

/**
 * The AWS side of the scale-to-zero hosting, as DescribeInferenceComponent and DescribeEndpoint show it: one inference
 * component (status, desired and current copies, CreationTime, LastModifiedTime) on a real-time endpoint that stays
 * InService, whose one instance comes for the first copy and goes {@link ComponentTimes#instancesIdle()} after the
 * copies settle at 0 (managed instance scaling, MinInstanceCount 0). The calls are the three the controller makes
 * (CreateInferenceComponent, UpdateInferenceComponentRuntimeConfig, DeleteInferenceComponent); a copy change takes
 * {@link ComponentTimes#copyLoad()} on an instance that is up, {@link ComponentTimes#instanceLaunch()} more without
 * one, and {@link ComponentTimes#copyUnload()} down to 0. Billed: every second an instance exists.
 */
final class SimulatedComponent {

  /** InferenceComponentStatus, as SageMaker spells it. */
  enum ComponentStatus {
    CREATING("Creating"),
    IN_SERVICE("InService"),
    UPDATING("Updating"),
    FAILED("Failed"),
    DELETING("Deleting");

    final String aws;

    ComponentStatus(String aws) {
      this.aws = aws;
    }
  }

  private final ComponentTimes times;
  private int failuresToInject;

  // the component; status null: there is none
  ComponentStatus status;
  Instant creationTime;
  Instant lastModifiedTime;
  int desired;
  int current;
  String failureReason;
  /** When the copy change (or the deletion) under way completes; null: none. */
  private Instant copiesAt;

  // the instance
  int instances;
  /** When the instance launched for a copy is up; null: none launching. */
  private Instant instanceUpAt;
  /** When managed instance scaling removes the idle instance; null: not planned. */
  private Instant instanceGoneAt;

  SimulatedComponent(ComponentTimes times, int failuresToInject) {
    this.times = times;
    this.failuresToInject = failuresToInject;
  }

  /** CreateInferenceComponent with {@code copies}. */
  void create(int copies, Instant now) {
    if (status != null) {
      throw new IllegalStateException("Cannot create already existing inference component");
    }
    status = ComponentStatus.CREATING;
    creationTime = now;
    lastModifiedTime = now;
    desired = copies;
    current = 0;
    failureReason = null;
    scaleOut(now);
  }

  /**
   * UpdateInferenceComponentRuntimeConfig: a new copy count, also while an update is under way (the new count replaces
   * it; an assumption: AWS does not document it). Refused while the component is created, failed or deleted.
   */
  void setCopies(int copies, Instant now) {
    if (status == null) {
      throw new IllegalStateException("Could not find inference component");
    }
    if (status != ComponentStatus.IN_SERVICE && status != ComponentStatus.UPDATING) {
      throw new IllegalStateException(
          "Cannot update inference component in " + status.aws + " status");
    }
    desired = copies;
    lastModifiedTime = now;
    status = ComponentStatus.UPDATING;
    if (copies > 0) {
      scaleOut(now);
    } else {
      copiesAt = now.plus(times.copyUnload());
    }
  }

  /** DeleteInferenceComponent: its copies go, then it; the instance stays its idle time, as after a scale-in. */
  void delete(Instant now) {
    if (status == null) {
      throw new IllegalStateException("Could not find inference component");
    }
    status = ComponentStatus.DELETING;
    lastModifiedTime = now;
    copiesAt = now.plus(times.copyUnload());
  }

  /** Copies on the way up: on the instance that is up, or on one launched for them. */
  private void scaleOut(Instant now) {
    instanceGoneAt = null;
    if (instances == 0) {
      instances = 1;
      instanceUpAt = now.plus(times.instanceLaunch());
    }
    Instant from = instanceUpAt != null && instanceUpAt.isAfter(now) ? instanceUpAt : now;
    copiesAt = from.plus(times.copyLoad());
  }

  /** Applies what completes by {@code now}; true when the component's or the instance's state changed. */
  boolean advance(Instant now) {
    boolean changed = false;
    if (instanceUpAt != null && !now.isBefore(instanceUpAt)) {
      instanceUpAt = null;
    }
    if (copiesAt != null && !now.isBefore(copiesAt)) {
      copiesAt = null;
      changed = true;
      if (status == ComponentStatus.DELETING) {
        status = null;
        current = 0;
        desired = 0;
        settleAtZero(now);
      } else if (desired > 0 && failuresToInject > 0) {
        failuresToInject--;
        status = ComponentStatus.FAILED;
        failureReason = "simulated capacity error: no copy could be placed";
        current = 0;
      } else {
        status = ComponentStatus.IN_SERVICE;
        current = desired;
        if (desired == 0) {
          settleAtZero(now);
        }
      }
    }
    if (instanceGoneAt != null && !now.isBefore(instanceGoneAt)) {
      instanceGoneAt = null;
      instances = 0;
      changed = true;
    }
    return changed;
  }

  private void settleAtZero(Instant now) {
    if (instances > 0) {
      instanceGoneAt = now.plus(times.instancesIdle());
    }
  }

  /** The next instant {@link #advance} changes something, if any. */
  Optional<Instant> nextChange() {
    Instant t = copiesAt;
    for (Instant c : new Instant[] {instanceUpAt, instanceGoneAt}) {
      if (c != null && (t == null || c.isBefore(t))) {
        t = c;
      }
    }
    return Optional.ofNullable(t);
  }

  /** A copy answers: InvokeEndpoint with the component's name gets a prediction. */
  boolean serving() {
    return (status == ComponentStatus.IN_SERVICE || status == ComponentStatus.UPDATING)
        && current > 0;
  }

  /** An instance exists, so it is billed. */
  boolean billing() {
    return instances > 0;
  }
}
