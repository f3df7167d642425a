package offhours.endpoint;

import java.time.Instant;
import java.util.Optional;
import offhours.endpoint.Decision.Action;
import offhours.endpoint.Endpoint.State;
import offhours.endpoint.EndpointController.Step;

/**
 * Hosting {@code serverless}: the stack owns a serverless endpoint, which bills per invocation and has nothing to
 * switch, so the controller never creates nor deletes it. It keeps the trigger enabled while the endpoint is
 * InService (enabling it, as for any hosting, only after a test invocation answered), pauses it while the endpoint
 * cannot serve at all (absent, creating, failed, deleting: uploads wait in the queue instead of being deferred over
 * and over), and pauses it on a manual stop. Cold starts and throttling are the consumer's business: it defers those
 * messages (offhours.inference.InvocationErrors). Its decisions are recorded like any run's, and the ledger counts
 * invocation time (Classify adds it), not endpoint time.
 */
final class ServerlessPolicy implements HostingPolicy {
  private final ControllerConfig config;

  ServerlessPolicy(ControllerConfig config) {
    this.config = config;
  }

  @Override
  public Want want(
      ControlState s,
      boolean wasOpen,
      Endpoint.Status ep,
      Mapping.TriggerState mp,
      Backlog.Snapshot q,
      Instant now) {
    if (s.override() != null && s.override().mode() == ControlState.Override.Mode.STOP) {
      String until = s.override().until() == null
          ? "until auto"
          : "until " + WakePolicy.local(s.override().until(), config.zone());
      return new Want(
          false,
          "manual stop " + until + ": consumption paused (the serverless endpoint stays; it bills"
              + " per invocation only)");
    }
    return new Want(true, "serverless: always available, billed per invocation");
  }

  @Override
  public Step plan(
      boolean on,
      Endpoint.Status ep,
      Mapping.TriggerState mp,
      Backlog.Snapshot q,
      ControlState s,
      Instant now) {
    State st = ep.state();
    if (st != State.ABSENT && ep.foreign()) {
      String foreign = SageMakerEndpoint.notThisStacks(config.endpointName())
          + ": it is never fed; delete it and update the stack";
      return pause(mp, foreign);
    }
    if (!on) {
      return pause(mp, "manual stop");
    }
    return switch (st) {
      // SageMaker keeps serving the old config while the stack updates the endpoint.
      case IN_SERVICE, UPDATING ->
        switch (mp) {
          case ENABLED -> new Step(Action.NONE, "serving (serverless)");
          case DISABLED ->
            new Step(
                Action.ENABLE_MAPPING,
                "serverless endpoint " + st + "; test invocation, then enable");
          case ABSENT ->
            new Step(
                Action.NONE, "endpoint " + st + " but the event source mapping does not exist");
          default -> new Step(Action.WAIT, "mapping " + mp);
        };
      case CREATING -> pause(mp, "the stack is creating the serverless endpoint");
      case ABSENT ->
        pause(
            mp,
            "the stack's serverless endpoint " + config.endpointName() + " does not exist (deleted"
                + " by hand?); the controller does not create it: update or re-create the stack");
      case FAILED ->
        pause(
            mp,
            "the serverless endpoint failed: " + ep.failureReason() + "; fix the model and update"
                + " the stack");
      case DELETING -> pause(mp, "the serverless endpoint is being deleted");
    };
  }

  /** Uploads wait in the queue while the endpoint cannot serve; nothing else is the controller's to do. */
  private static Step pause(Mapping.TriggerState mp, String why) {
    return mp.polling()
        ? new Step(Action.DISABLE_MAPPING, why + ": pausing consumption")
        : new Step(Action.NONE, why + "; consumption paused");
  }

  @Override
  public boolean billsWhileItExists(Endpoint.Status ep, Action step) {
    return false;
  }

  /**
   * A serverless endpoint serves around the clock and WORKING_HOURS do not apply: an upload is due MAX_WAIT_MINUTES
   * after it arrived (it waits only while the endpoint throttles, cannot serve or is stopped by hand). With no budget
   * (0) or next-opening, which names working hours this hosting ignores, nothing is due.
   */
  @Override
  public Optional<Instant> due(Instant upload) {
    WaitBudget budget = config.maxWait();
    return budget.off() || budget.nextOpening()
        ? Optional.empty()
        : Optional.of(upload.plus(budget.max()));
  }
}
