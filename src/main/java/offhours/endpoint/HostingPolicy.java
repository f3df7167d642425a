package offhours.endpoint;

import java.time.Instant;
import java.util.Optional;
import offhours.endpoint.Decision.Action;
import offhours.endpoint.EndpointController.Step;

/**
 * What the controller does for one way of hosting the model (offhours.stack.Hosting): what it wants, the one step it
 * takes toward it, and whether the endpoint's existence bills. {@link EndpointController} runs the same cycle for each
 * (observe, claim, act, record the decision and the ledger); the policy decides.
 */
interface HostingPolicy {

  /** ON or OFF, and why. */
  Want want(
      ControlState s,
      boolean wasOpen,
      Endpoint.Status ep,
      Mapping.TriggerState mp,
      Backlog.Snapshot q,
      Instant now);

  /** The one step toward {@code on} (pure). */
  Step plan(
      boolean on,
      Endpoint.Status ep,
      Mapping.TriggerState mp,
      Backlog.Snapshot q,
      ControlState s,
      Instant now);

  /**
   * Whether the endpoint bills for its time (instance-seconds) once {@code step} is taken: the controller's ledger
   * adds those seconds. False for a hosting that bills per invocation.
   */
  boolean billsWhileItExists(Endpoint.Status ep, Action step);

  /**
   * When an upload that arrived at {@code upload} is due by the wait the user accepts (MAX_WAIT_MINUTES); empty when
   * this hosting has no such wait for it. The controller's OverdueSeconds metric measures the oldest waiting upload
   * against it.
   */
  Optional<Instant> due(Instant upload);
}
