package offhours.endpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import offhours.inference.AwsFailures;
import offhours.stack.Hosting;
import offhours.units.Plurals;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * Gives the log groups SageMaker writes the model container's output to the stack's retention (LogRetentionDays).
 * SageMaker creates them through its execution role, an endpoint's as {@code /aws/sagemaker/Endpoints/ENDPOINT} (a
 * serverless endpoint's too), and CloudWatch Logs keeps a new group's events forever
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/logging-cloudwatch.html): without this, a stack that wakes its
 * endpoint every working day would pay for their storage for ever.
 *
 * <p>The stack cannot own these groups: on a stack whose endpoint has run, SageMaker has created the group already, so
 * an {@code AWS::Logs::LogGroup} of that name fails to create ("already exists") and the stack update rolls back. So
 * the controller sets the retention each time the endpoint answered its readiness probe, so its container has run,
 * and at the first run of each new execution environment that finds the endpoint serving: after a stack update (whose
 * new function version starts new environments) the groups get it without waiting for a wake, which a serverless
 * endpoint never has again. PutRetentionPolicy is idempotent, and a changed LogRetentionDays reaches the groups the
 * same way. A group that does not exist (yet) holds nothing to pay for and is skipped; any other failure is reported
 * in the run's outcome, tried again at the next serving run, and never stops a step.
 */
public final class ContainerLogRetention implements ContainerLogs {

  /** Where SageMaker sends an endpoint's container logs; with inference components, each component's go to its own. */
  private static final String ENDPOINT_GROUPS = "/aws/sagemaker/Endpoints/";

  /**
   * Where an inference component's container logs go, one group per component. SageMaker's table of its log groups
   * (logging-cloudwatch.html, above) does not list it; the name is the one SageMaker creates in accounts that host
   * components, as public exports of such accounts' log groups and tools that read a component's logs show
   * (checked 2026-12). Its streams have opaque ids, not an endpoint's VARIANT/INSTANCE, which nothing here depends on:
   * the retention is the group's, and the SageMaker role grants every stream of the group.
   */
  private static final String COMPONENT_GROUPS = "/aws/sagemaker/InferenceComponents/";

  private final CloudWatchLogsClient logs;
  private final List<String> groups;
  private final int days;

  /** This process has set every group's retention (or found the group absent) since it started. */
  private volatile boolean settled;

  public ContainerLogRetention(CloudWatchLogsClient logs, List<String> groups, int days) {
    this.logs = Objects.requireNonNull(logs, "logs");
    this.groups = List.copyOf(groups);
    this.days = days;
  }

  /**
   * The container's log groups of {@code hosting}: the endpoint's, and with scale-to-zero its component's (the
   * component's container logs there; the endpoint's group is kept in hand as well, in case SageMaker writes to it).
   */
  public static List<String> groups(Hosting hosting, String endpointName, String componentName) {
    return hosting == Hosting.SCALE_TO_ZERO
        ? List.of(COMPONENT_GROUPS + componentName, ENDPOINT_GROUPS + endpointName)
        : List.of(ENDPOINT_GROUPS + endpointName);
  }

  @Override
  public List<String> whileServing(List<String> awsSaid) {
    return settled ? List.of() : afterWake(awsSaid);
  }

  @Override
  public List<String> afterWake(List<String> awsSaid) {
    List<String> problems = new ArrayList<>();
    for (String group : groups) {
      try {
        logs.putRetentionPolicy(r -> r.logGroupName(group).retentionInDays(days));
      } catch (ResourceNotFoundException e) {
        // SageMaker has not created it: nothing is stored there yet. The next wake sets it.
      } catch (RuntimeException e) {
        String call = "PutRetentionPolicy " + Plurals.of(days, "day");
        problems.add("log group " + group + " keeps its events as before ("
            + AwsFailures.words(call, QuotaRefusal.CALLER, e)
            + "); the next wake tries again");
        ClaimedStep.answerTo(call + " on " + group, e, awsSaid);
      }
    }
    settled = problems.isEmpty();
    return problems;
  }
}
