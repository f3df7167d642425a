package offhours.endpoint;

/**
 * What a run reads before it decides, in this order: the control state it will claim against, the endpoint, the
 * trigger and the queue. A call that runs out of the run's time ({@link RunDeadline}) ends the run before any step.
 */
record RunObservation(
    ControlState before, Endpoint.Status ep, Mapping.TriggerState mp, Backlog.Snapshot q) {

  static RunObservation read(
      ControlStore store, Endpoint endpoint, Mapping mapping, Backlog backlog) {
    ControlState before = store.load().orElse(ControlState.INITIAL);
    Endpoint.Status ep = endpoint.describe();
    Mapping.TriggerState mp = mapping.state();
    Backlog.Snapshot q = backlog.read();
    return new RunObservation(before, ep, mp, q);
  }

  /** The endpoint serving and the trigger polling it. */
  boolean serving() {
    return ep.state() == Endpoint.State.IN_SERVICE && mp == Mapping.TriggerState.ENABLED;
  }
}
