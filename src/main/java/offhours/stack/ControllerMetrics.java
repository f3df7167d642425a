package offhours.stack;

import java.util.ArrayList;
import java.util.List;

/**
 * The controller's Embedded Metric Format metrics, which template.yaml alarms on and graphs: their namespace, their one
 * dimension, their names, and which of them the controller can publish under each hosting option. The names the stack
 * uses are {@link StackSpec#METRICS}.
 *
 * <p>The dimension is the endpoint's name, so stacks in one account stay apart. {@code controllerRuns} is 1 for every
 * completed run, the heartbeat whose absence for 15 minutes is an alarm; {@code testInvocationFailures} is 1 for a run
 * whose test invocation of the InService endpoint failed (the trigger stays off, the endpoint bills);
 * {@code controllerStepFailures} is 1 for a run whose step other than CreateEndpoint threw (caught and retried, so the
 * function's Errors miss it); {@code overdueSeconds} is how many seconds the oldest waiting upload is past the time
 * MaxWaitMinutes makes it due (0 when nothing is late).
 */
public record ControllerMetrics(
    String namespace,
    String dimension,
    String endpointCreateFailures,
    String endpointRunningOutsideSchedule,
    String controllerRuns,
    String testInvocationFailures,
    String controllerStepFailures,
    String overdueSeconds,
    String endpointOn,
    String backlog) {

  /**
   * The metrics the controller can publish under {@code hosting} and MaxWaitMinutes {@code maxWaitMinutes} (Emf
   * declares every value but the heartbeat as a metric only in runs where it is not 0): every one when the
   * controller switches the endpoint and uploads can be due; otherwise ({@link Hosting#switchesTheEndpoint}:
   * serverless) neither {@code endpointCreateFailures}, since it never creates the endpoint, nor
   * {@code endpointRunningOutsideSchedule}, since it never switches it off; and no {@code overdueSeconds} where no
   * upload is ever due ({@link Hosting#hasDueTimes}). What template.yaml's dashboard graphs and its alarms watch for
   * each (DashboardTest); PublishedMetricsTest runs the controller to show it publishes exactly these.
   */
  public List<String> publishedUnder(Hosting hosting, String maxWaitMinutes) {
    List<String> names = new ArrayList<>(List.of(
        controllerRuns,
        endpointCreateFailures,
        testInvocationFailures,
        controllerStepFailures,
        endpointRunningOutsideSchedule,
        overdueSeconds,
        endpointOn,
        backlog));
    if (!hosting.switchesTheEndpoint()) {
      names.remove(endpointCreateFailures);
      names.remove(endpointRunningOutsideSchedule);
    }
    if (!hosting.hasDueTimes(maxWaitMinutes)) {
      names.remove(overdueSeconds);
    }
    return List.copyOf(names);
  }
}
