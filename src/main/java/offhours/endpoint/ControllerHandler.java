package offhours.endpoint;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.aws.InvocationDeadline;
import offhours.aws.UsageLedger;
import offhours.inference.ModelContract;
import offhours.units.Shown;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The controller function: a scheduler tick, a "SageMaker Endpoint State Change" event, a batch of its timer queue's
 * messages (an SQS event), or a manual
 * {@code {"action":"start","until":"2026-11-25T18:00:00Z"}} / {@code {"action":"stop"}} / {@code {"action":"auto"}}.
 * Every event leads to one reconcile run; a manual action first records the override. After the run the timer is
 * armed for the instant its decision names ({@link TimerArming}).
 */
public final class ControllerHandler
    implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  private final EndpointController controller;
  private final Clock clock;
  private final BiConsumer<Decision, String> record;
  /** Null: no timer queue. */
  private final TimerArming timer;
  /**
   * The deadline of the invocation in progress: an execution environment is busy with one invocation until it ends
   * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html), so one holder serves them in turn.
   */
  private final AtomicReference<InvocationDeadline> run;
  /** Where the controller's own lines go besides the run's log line: standard output on Lambda. */
  private final PrintStream out;

  public ControllerHandler() {
    this(System.getenv());
  }

  private ControllerHandler(Map<String, String> env) {
    this(AwsClients.forLambda(env), ControllerConfig.fromEnvironment(env), Clock.systemUTC());
  }

  /** Every run's decision is recorded in the control table, where the API's and the UI's status read it. */
  public ControllerHandler(AwsClients clients, ControllerConfig config, Clock clock) {
    this(clients, config, clock, System.out);
  }

  /**
   * As above with the controller's own lines (the run's EMF line, a decision not recorded, a test invocation the
   * ledger did not count) going to {@code out}: local mode gives its execution environment's standard output, which
   * falls silent when the environment ends, as a Lambda environment shut down logs nothing more.
   */
  public ControllerHandler(
      AwsClients clients, ControllerConfig config, Clock clock, PrintStream out) {
    this(Bounded.of(clients), config, clock, out);
  }

  private ControllerHandler(Bounded b, ControllerConfig config, Clock clock, PrintStream out) {
    this(
        b.clients(),
        config,
        clock,
        new DynamoControlTable(b.dynamo(), config.controlTableName()),
        b.dynamo(),
        b.clients().build(Service.SQS, SqsClient.builder()),
        b.run(),
        out);
  }

  /**
   * The controller's clients, every call of which ends before the deadline of the run {@code run} holds ({@link
   * RunDeadline}), and the control table's client among them.
   */
  private record Bounded(
      AwsClients clients, DynamoDbClient dynamo, AtomicReference<InvocationDeadline> run) {
    static Bounded of(AwsClients clients) {
      AtomicReference<InvocationDeadline> run = new AtomicReference<>(InvocationDeadline.NONE);
      AwsClients bounded = clients.sharing(new RunDeadline(run::get));
      return new Bounded(bounded, bounded.build(Service.DYNAMODB, DynamoDbClient.builder()), run);
    }
  }

  private ControllerHandler(
      AwsClients clients,
      ControllerConfig config,
      Clock clock,
      DynamoControlTable control,
      DynamoDbClient dynamo,
      SqsClient sqs,
      AtomicReference<InvocationDeadline> run,
      PrintStream out) {
    this(
        forAws(
            clients,
            config,
            control,
            probeLedger(dynamo, config.probeLedger(), clock, new ProbeLedgerLines(out), run::get),
            sqs,
            out),
        clock,
        control::recordDecision,
        config.timerQueueUrl().isEmpty()
            ? null
            : new TimerArming(control, new SqsRunTimer(sqs, config.timerQueueUrl())),
        run,
        out);
  }

  /** The ledger of the probes' invocations, each write cut before the deadline of the run {@code run} gives. */
  static UsageLedger probeLedger(
      DynamoDbClient dynamo,
      UsageLedger.Settings settings,
      Clock clock,
      UsageLedger.Unrecorded log,
      Supplier<InvocationDeadline> run) {
    return new UsageLedger(dynamo, settings, clock, log)
        .within(() -> run.get()
            .timeout(RunDeadline.AFTER_PROBE_LEDGER, "the test invocation's ledger write"));
  }

  /** Decisions are only returned, not recorded. */
  public ControllerHandler(EndpointController controller, Clock clock) {
    this(controller, clock, decision -> {});
  }

  ControllerHandler(EndpointController controller, Clock clock, Consumer<Decision> record) {
    this(controller, clock, (decision, startedBy) -> record.accept(decision), null);
  }

  /** {@code timer} null: no timer is armed. */
  ControllerHandler(
      EndpointController controller,
      Clock clock,
      BiConsumer<Decision, String> record,
      TimerArming timer) {
    this(controller, clock, record, timer, new AtomicReference<>(InvocationDeadline.NONE));
  }

  /** {@code run}: where each invocation's deadline is kept while it runs, for the probe ledger's writes. */
  ControllerHandler(
      EndpointController controller,
      Clock clock,
      BiConsumer<Decision, String> record,
      TimerArming timer,
      AtomicReference<InvocationDeadline> run) {
    this(controller, clock, record, timer, run, System.out);
  }

  /** {@code out}: where the handler's own lines go (a decision not recorded). */
  ControllerHandler(
      EndpointController controller,
      Clock clock,
      BiConsumer<Decision, String> record,
      TimerArming timer,
      AtomicReference<InvocationDeadline> run,
      PrintStream out) {
    this.controller = controller;
    this.clock = clock;
    this.record = record;
    this.timer = timer;
    this.run = run;
    this.out = out;
  }

  /**
   * The controller wired to AWS (or to local services through {@code clients}); EMF lines go to {@code out}.
   * Labels from LABELS_S3_URI are read here, once (the probe checks the answer against them).
   */
  private static EndpointController forAws(
      AwsClients clients,
      ControllerConfig config,
      DynamoControlTable control,
      UsageLedger probeLedger,
      SqsClient sqs,
      PrintStream out) {
    ModelContract model = withLabels(clients, config.model());
    return new EndpointController(
        config,
        endpoint(clients, config, model, probeLedger),
        new LambdaMapping(
            clients.buildForControlCalls(Service.LAMBDA, LambdaClient.builder()),
            config.mappingUuid()),
        new SqsBacklog(sqs, config.queueUrl(), config.dlqUrl()),
        control,
        control,
        out::println,
        containerLogs(clients, config, model));
  }

  /** The model container's log groups, whose retention the controller sets after each wake. */
  private static ContainerLogs containerLogs(
      AwsClients clients, ControllerConfig config, ModelContract model) {
    if (config.logRetentionDays() == 0) {
      return ContainerLogs.UNMANAGED;
    }
    return new ContainerLogRetention(
        clients.build(Service.LOGS, CloudWatchLogsClient.builder()),
        ContainerLogRetention.groups(
            config.hosting(), config.endpointName(), model.inferenceComponentName()),
        config.logRetentionDays());
  }

  /**
   * What the controller switches: the endpoint itself (with scheduled, an endpoint it replaces loses its inference
   * component first: a stack updated from scale-to-zero leaves one, {@link RetiringEndpoint}), with scale-to-zero its
   * inference component's copies; a serverless endpoint belongs to the stack (ServerlessPolicy never creates nor
   * deletes it).
   */
  private static Endpoint endpoint(
      AwsClients clients, ControllerConfig config, ModelContract model, UsageLedger probeLedger) {
    SageMakerClient sageMaker = clients.build(Service.SAGEMAKER, SageMakerClient.builder());
    SageMakerRuntimeClient runtime =
        clients.build(Service.SAGEMAKER_RUNTIME, SageMakerRuntimeClient.builder());
    return switch (config.hosting()) {
      case SCALE_TO_ZERO ->
        new ComponentEndpoint(
            sageMaker,
            runtime,
            config.endpointName(),
            config.endpointConfigName(),
            model.inferenceComponentName(),
            config.modelName(),
            config.instanceCount(),
            config.instanceType(),
            config.stackId(),
            model);
      case SCHEDULED ->
        new RetiringEndpoint(
            own(sageMaker, runtime, config, model, probeLedger),
            sageMaker,
            config.endpointName(),
            config.endpointConfigName());
      // SageMaker bills each test invocation of a serverless endpoint: the probes go to its ledger.
      case SERVERLESS -> own(sageMaker, runtime, config, model, probeLedger);
    };
  }

  private static SageMakerEndpoint own(
      SageMakerClient sageMaker,
      SageMakerRuntimeClient runtime,
      ControllerConfig config,
      ModelContract model,
      UsageLedger probeLedger) {
    return new SageMakerEndpoint(
        sageMaker,
        runtime,
        config.endpointName(),
        config.endpointConfigName(),
        config.stackId(),
        model,
        config.modelName(),
        probeLedger);
  }

  /**
   * What became of a probe's invocation in the ledger, when not plainly added: the run goes on (the ledger informs).
   */
  record ProbeLedgerLines(PrintStream out) implements UsageLedger.Unrecorded {
    @Override
    public void ledgerNotUpdated(long invocations, long millis, Exception error) {
      out.println("offhours controller: ledger not updated: the test invocation ("
          + UsageLedger.tally(invocations, millis) + ") is not counted: " + error);
    }

    @Override
    public void ledgerUnconfirmed(long invocations, long millis, Exception error) {
      out.println("offhours controller: the test invocation's "
          + UsageLedger.unconfirmed(invocations, millis) + ": " + error);
    }
  }

  /** {@code model} with the labels of its LABELS_S3_URI file, read once; as it is without a file. */
  static ModelContract withLabels(AwsClients clients, ModelContract model) {
    if (!model.labels().isEmpty() || model.labelsS3Uri() == null) {
      return model;
    }
    try (S3Client s3 = clients.build(Service.S3, S3Client.builder())) {
      return model.resolveLabels(s3);
    }
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    return InvocationDeadline.during(
        run,
        context == null ? null : context::getRemainingTimeInMillis,
        () -> handle(event, context));
  }

  private Map<String, Object> handle(Map<String, Object> event, Context context) {
    Instant now = clock.instant();
    String startedBy = RunTrigger.describe(event);
    Object action = event == null || RunTrigger.isTimer(event) ? null : event.get("action");
    Decision decision = action == null
        ? controller.reconcile(now)
        : switch (action.toString()) {
          case "start" -> controller.override(ControlState.Override.Mode.START, until(event), now);
          case "stop" -> controller.override(ControlState.Override.Mode.STOP, until(event), now);
          case "auto" -> controller.override(null, null, now);
          default ->
            throw new IllegalArgumentException(
                "action '" + Shown.value(action.toString()) + "' is not one of start, stop, auto");
        };
    List<String> timerSaid = new ArrayList<>();
    String armed = timer == null ? "no timer queue" : timer.arm(decision, now, timerSaid);
    if (context != null) {
      context.getLogger().log(logLine(startedBy, decision, armed, timerSaid));
    }
    // Neither a lost race nor a run out of time saw and did what the status pages show.
    if (decision.action() != Decision.Action.LOST_RACE
        && decision.action() != Decision.Action.OUT_OF_TIME) {
      try {
        record.accept(decision, startedBy);
      } catch (RuntimeException e) {
        // The step is taken either way; only the status pages would show an older decision.
        out.println("offhours controller: decision not recorded: " + e);
      }
    }
    Map<String, Object> out = decision.toMap();
    out.put("startedBy", startedBy);
    out.put("timer", armed);
    return out;
  }

  /**
   * How the part of a run's log line with what SageMaker itself said to a failed test invocation begins: the
   * TestInvocationFailures alarm's description and the README name it.
   */
  public static final String SAGEMAKER_SAID = "SageMaker's answer to the test invocation: ";

  /**
   * The run's one log line: what started it, its decision, the timer; for each call AWS failed (a test invocation, a
   * CreateEndpoint, a PutRetentionPolicy, the control state's write ...), then what AWS itself answered it ({@link
   * Decision#awsSaid}), and to the timer's calls ({@code timerSaid}). The outcome and the timer's note, which the
   * status pages and the function's answer show, say it in offhours' words; only this line keeps AWS's error code and
   * message (which may name the account and the role) for an operator whose endpoint keeps failing the probe, or whose
   * step keeps failing.
   */
  static String logLine(String startedBy, Decision decision, String armed, List<String> timerSaid) {
    StringBuilder line = new StringBuilder(startedBy + ": " + decision + "; " + armed);
    if (decision.awsSaid() != null) {
      line.append("; ").append(decision.awsSaid());
    }
    timerSaid.forEach(said -> line.append("; ").append(said));
    return line.toString();
  }

  private static Instant until(Map<String, Object> event) {
    Object until = event.get("until");
    if (until == null || until.toString().isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(until.toString()).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "until '" + Shown.value(until.toString())
              + "' is not an ISO-8601 date-time with an offset, like "
              + "2026-11-25T18:00:00Z or 2026-11-25T19:00:00+01:00",
          e);
    }
  }
}
