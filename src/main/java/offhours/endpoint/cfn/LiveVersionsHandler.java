package offhours.endpoint.cfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.aws.InvocationDeadline;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * CloudFormation custom resource LiveVersions (template.yaml): after SAM's own version and alias updates, moves each
 * function's {@code live} alias to a new version where the configuration it froze is no longer the function's
 * ({@link LiveVersions}); after a failed Update it asks CloudFormation for the stack's status (DescribeStacks), to
 * tell a rollback. The response goes to the pre-signed {@code ResponseURL} ({@link CustomResourceResponse}).
 */
public final class LiveVersionsHandler
    implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  /**
   * How long it waits at most for new versions to become Active (SnapStart optimises each, a minute or more). With
   * {@link #RESERVE} it fits the function's Timeout (template.yaml, LiveVersionsFunction), which fits the custom
   * resource's ServiceTimeout (LiveVersions), so CloudFormation always gets the answer (LiveVersionsTemplateTest holds
   * the three together).
   */
  public static final Duration BUDGET = Duration.ofSeconds(520);

  /**
   * What the invocation keeps after waiting: time to move the aliases, then the response PUT and its log line
   * ({@link ResponseDeadline#ANSWER}, which each AWS call ends before).
   */
  public static final Duration RESERVE = Duration.ofSeconds(20).plus(ResponseDeadline.ANSWER);

  /**
   * The template parameter, in the resource's Settings, whose change alone makes CloudFormation send an Update, so
   * that every function is compared again (after a rollback, which may leave {@code live} on either settings).
   */
  public static final String REVISION_PARAMETER = "LiveVersionsRevision";

  private final LiveVersions live;
  private final String problem;
  private final HttpClient http;

  /** The deadline of the invocation in progress, which each AWS call ends before ({@link ResponseDeadline}). */
  private final AtomicReference<InvocationDeadline> invocation =
      new AtomicReference<>(InvocationDeadline.NONE);

  public LiveVersionsHandler() {
    this(System.getenv(), AwsClients::forLambda, HttpClient.newHttpClient());
  }

  /** As Lambda builds it; if a client cannot be built, every event is answered FAILED (Delete: SUCCESS) instead. */
  public LiveVersionsHandler(
      Map<String, String> env, Function<Map<String, String>, AwsClients> clients, HttpClient http) {
    LiveVersions built = null;
    String why = null;
    try {
      AwsClients aws = clients.apply(env).sharing(new ResponseDeadline(invocation::get));
      CloudFormationClient cloudFormation =
          aws.build(Service.CLOUDFORMATION, CloudFormationClient.builder());
      built = new LiveVersions(
          aws.buildForControlCalls(Service.LAMBDA, LambdaClient.builder()),
          stackId -> cloudFormation
              .describeStacks(r -> r.stackName(stackId))
              .stacks()
              .getFirst()
              .stackStatusAsString(),
          Clock.systemUTC(),
          Thread::sleep);
    } catch (RuntimeException e) {
      why = "the live-versions function could not start: " + e.getMessage();
    }
    this.live = built;
    this.problem = why;
    this.http = http;
  }

  LiveVersionsHandler(LiveVersions live, HttpClient http) {
    this.live = live;
    this.problem = null;
    this.http = http;
  }

  /** {@link #BUDGET}, less if the invocation has less time left than that plus {@link #RESERVE}. */
  private static Duration budget(Context context) {
    return CustomResourceResponse.budget(context, BUDGET, RESERVE);
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    Map<String, Object> response = InvocationDeadline.during(
        invocation,
        context == null ? null : context::getRemainingTimeInMillis,
        () -> live != null
            ? live.handle(
                event, budget(context), context == null ? line -> {} : context.getLogger()::log)
            : LiveVersions.unavailable(event, problem));
    return CustomResourceResponse.answer(http, event, context, response);
  }
}
