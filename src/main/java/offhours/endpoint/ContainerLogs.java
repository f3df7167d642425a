package offhours.endpoint;

import java.util.List;

/**
 * What the controller does with the log groups of the model container: {@link ContainerLogRetention} on AWS. Both
 * calls return what could not be done, for the run's outcome, and never throw: the run's step has happened either way.
 * What AWS itself answered a call that failed goes to their {@code awsSaid}, for the run's log line only ({@link
 * Decision#awsSaid}): it may name the account, which the outcome must not.
 */
public interface ContainerLogs {

  /** Leaves them alone: the simulation, tests of the decisions, and a config without a retention. */
  ContainerLogs UNMANAGED = new ContainerLogs() {
    @Override
    public List<String> afterWake(List<String> awsSaid) {
      return List.of();
    }

    @Override
    public List<String> whileServing(List<String> awsSaid) {
      return List.of();
    }
  };

  /** The endpoint (or its component) answered and consumption resumed: limit how long the groups keep their events. */
  List<String> afterWake(List<String> awsSaid);

  /**
   * A run that finds the endpoint serving: the same, once per process (a function's execution environment) until it
   * succeeded. A serverless endpoint is never woken again once its trigger is enabled, and a stack updated while its
   * endpoint serves would otherwise wait for the next wake: the update's new environments set it at their first run.
   */
  List<String> whileServing(List<String> awsSaid);
}
