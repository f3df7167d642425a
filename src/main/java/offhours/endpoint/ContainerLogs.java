package offhours.endpoint;

import java.util.List;

/**
 * What the controller does with the log groups of the model container once the endpoint (or its inference component)
 * answered the readiness probe: {@link ContainerLogRetention} on AWS.
 */
@FunctionalInterface
public interface ContainerLogs {

  /** Leaves them alone: the simulation, tests of the decisions, and a config without a retention. */
  ContainerLogs UNMANAGED = List::of;

  /**
   * Limits how long the groups keep their events; returns what could not be done, for the run's outcome. Never throws:
   * the wake it follows has happened either way.
   */
  List<String> limitRetention();
}
