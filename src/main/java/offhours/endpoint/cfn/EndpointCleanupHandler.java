package offhours.endpoint.cfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.aws.InvocationDeadline;
import offhours.endpoint.Backlog;
import offhours.endpoint.ComponentEndpoint;
import offhours.endpoint.ControlStore;
import offhours.endpoint.DynamoControlTable;
import offhours.endpoint.Endpoint;
import offhours.endpoint.LambdaMapping;
import offhours.endpoint.Mapping;
import offhours.endpoint.SageMakerEndpoint;
import offhours.endpoint.SqsBacklog;
import offhours.endpoint.SqsSweptQueue;
import offhours.endpoint.TestEventSweep;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * CloudFormation custom resource that deletes the controller-owned endpoint with the stack, so no endpoint is left
 * billing; on Create (and on an Update that changed the images bucket) it first takes S3's test event off the images
 * queue ({@link TestEventSweep}), so that the controller does not wake the endpoint for it. On Delete it records a
 * manual stop (so no controller run re-creates the endpoint), disables the mapping and deletes the endpoint, waiting
 * for it to settle if SageMaker cannot delete it yet, for as long as the invocation's remaining time allows with the
 * response still to send ({@link #budget}). The response goes to the pre-signed {@code ResponseURL} with an HTTP PUT
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html).
 */
public final class EndpointCleanupHandler
    implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  /**
   * How long a Delete waits for the endpoint to settle at most. With {@link #RESERVE} it fits the function's Timeout
   * (template.yaml, EndpointCleanupFunction), which fits the custom resource's ServiceTimeout (EndpointCleanup), so
   * CloudFormation always gets the answer (TemplateSafetyTest holds the three together).
   */
  public static final Duration BUDGET = Duration.ofSeconds(240);

  /**
   * What the invocation keeps for itself after waiting: the response PUT ({@link CustomResourceResponse#PUT_TIMEOUT}
   * at most) and its log line. Each AWS call ends before it too ({@link ResponseDeadline}), the last look at the
   * endpoint included.
   */
  public static final Duration RESERVE = ResponseDeadline.ANSWER;

  /**
   * Who sweeps S3's test event on AWS, in a failed sweep's words: this function's role makes its calls and its log has
   * AWS's answer (not the controller's).
   */
  static final String CALLER = "the cleanup function";

  private final EndpointCleanup cleanup;
  private final String problem;
  private final HttpClient http;

  /** The deadline of the invocation in progress, which each AWS call ends before ({@link ResponseDeadline}). */
  private final AtomicReference<InvocationDeadline> invocation =
      new AtomicReference<>(InvocationDeadline.NONE);

  public EndpointCleanupHandler() {
    this(System.getenv(), AwsClients::forLambda, HttpClient.newHttpClient());
  }

  /**
   * As Lambda builds it: settings from {@code env}, clients from {@code clients}. If either fails (a variable missing,
   * no region), the function still answers every event, FAILED with the reason, instead of failing its init and
   * leaving CloudFormation waiting.
   */
  public EndpointCleanupHandler(
      Map<String, String> env, Function<Map<String, String>, AwsClients> clients, HttpClient http) {
    EndpointCleanup built = null;
    String why = null;
    try {
      CleanupConfig config = CleanupConfig.fromEnvironment(env);
      AwsClients aws = clients.apply(env).sharing(new ResponseDeadline(invocation::get));
      SageMakerClient sageMaker = aws.build(Service.SAGEMAKER, SageMakerClient.builder());
      SqsClient sqs = aws.build(Service.SQS, SqsClient.builder());
      Mapping mapping = new LambdaMapping(
          aws.buildForControlCalls(Service.LAMBDA, LambdaClient.builder()), config.mappingUuid());
      built = new EndpointCleanup(
          config.inferenceComponentName() == null
              ? new SageMakerEndpoint(sageMaker, config.endpointName())
              : new ComponentEndpoint(
                  sageMaker, config.endpointName(), config.inferenceComponentName()),
          mapping,
          new DynamoControlTable(
              aws.build(Service.DYNAMODB, DynamoDbClient.builder()), config.controlTableName()),
          config,
          Clock.systemUTC(),
          Thread::sleep,
          new TestEventSweep(
              mapping,
              new SqsBacklog(sqs, config.queueUrl(), null),
              new SqsSweptQueue(sqs, config.queueUrl()),
              Clock.systemUTC(),
              CALLER));
    } catch (RuntimeException e) {
      why = "the cleanup function could not start: " + e.getMessage();
    }
    this.cleanup = built;
    this.problem = why;
    this.http = http;
  }

  /**
   * Over given collaborators; {@code clock} and {@code pause} are how it waits for the endpoint to settle, {@code
   * backlog} and {@code queue} the images queue it sweeps.
   */
  EndpointCleanupHandler(
      Endpoint endpoint,
      Mapping mapping,
      ControlStore store,
      CleanupConfig config,
      HttpClient http,
      Clock clock,
      EndpointCleanup.Pause pause,
      Backlog backlog,
      TestEventSweep.SweptQueue queue) {
    this.cleanup = new EndpointCleanup(
        endpoint,
        mapping,
        store,
        config,
        clock,
        pause,
        new TestEventSweep(mapping, backlog, queue, clock, CALLER));
    this.problem = null;
    this.http = http;
  }

  /** {@link #BUDGET}, less if the invocation has less time left than that plus {@link #RESERVE}. */
  static Duration budget(Context context) {
    return CustomResourceResponse.budget(context, BUDGET, RESERVE);
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    List<String> awsSaid = new ArrayList<>();
    Map<String, Object> response = InvocationDeadline.during(
        invocation,
        context == null ? null : context::getRemainingTimeInMillis,
        () -> cleanup != null
            ? cleanup.handle(event, budget(context), awsSaid)
            : EndpointCleanup.unavailable(event, problem));
    return CustomResourceResponse.answer(http, event, context, response, awsSaid);
  }
}
