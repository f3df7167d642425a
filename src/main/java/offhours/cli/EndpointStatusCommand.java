package offhours.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import offhours.cli.Target.Name;
import offhours.endpoint.ControlState;
import offhours.endpoint.ControllerOutlook;
import offhours.endpoint.DynamoControlTable;
import offhours.endpoint.RecordedDecision;
import offhours.inference.InvocationErrors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetEventSourceMappingResponse;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code offhours endpoint status}: the endpoint, what the stack's hosting switches ({@link HostingStatus}), the
 * Classify mapping and what the controller last decided: read here, shown by {@link EndpointReport}.
 */
final class EndpointStatusCommand implements Command {

  @Override
  public String name() {
    return "status";
  }

  @Override
  public String summary() {
    return "show the endpoint, what its hosting switches, whether uploads are being consumed, and the controller's state";
  }

  @Override
  public List<Option> options() {
    return List.of(Option.JSON, Option.STACK);
  }

  @Override
  public String description() {
    return """
        "absent" is the normal state outside working hours: uploads wait in the queue and are
        classified when the endpoint is back. The Classify mapping is enabled only once the endpoint
        has answered a test invocation.
        What is switched depends on the stack's hosting: with scheduled the endpoint; with scale-to-zero
        the endpoint stays InService and the inference component's copies go between 0 (nothing
        answers, uploads wait in the queue) and N; with serverless the stack owns the endpoint (the
        controller never deletes it), shown with its memory and max concurrency. A stack of an older
        version does not record its hosting: then the endpoint is shown alone.
        Uploads delayed on the queue while the endpoint is InService and the trigger Enabled were
        handed back by the Classify function because invocations fail (the model server died, the
        model errors on everything): every state reads well meanwhile, so a line "handed back while
        the endpoint serves" says so, inferred from the counts, and where to read each reason.
        Then the controller's last decision and, as GET /status says it, when it runs next and why
        ("next run"), what started its last run, the run timer it armed and how long a wake and a
        stop are expected to take (learned from the last ones, or the defaults). Then, as GET /status
        says them, the working hours (open now or not, until when), and when an upload made now
        would be classified: when the controller starts the endpoint for it and when its result is
        expected, by the controller's own policy, or that nothing will start the endpoint. Both come
        from the stack's settings (a deployed stack's parameters, the local stack's state file); one
        they lack is named. And how long the oldest waiting upload had waited at the controller's
        last run: at most since the last run that saw the queue empty, the age its latency budget
        plans with.
        With --json: {"endpoint", "status", "failureReason", "creationTime", "lastModifiedTime",
        "hosting" (scheduled, scale-to-zero, serverless, or null when the stack does not say),
        "inferenceComponent": {"name", "status", "currentCopies", "desiredCopies", "failureReason",
        "meaning"} (scale-to-zero, else null), "serverless": {"endpointConfig", "memorySizeInMB",
        "maxConcurrency", "ownedByStack"} (serverless, else null),
        "mapping": {"uuid", "state", "stateTransitionReason"},
        "handedBack": {"delayed", "inferred", "says", "why"} (that line, else null),
        "lastDecision": {the controller's last decision, with "startedBy"; null before its first run},
        "outlook": {"lastRunAt", "startedBy", "nextRunAt", "nextRun", "timerAt", "expectedWake":
        {"seconds", "wakes", "default", "words"}, "expectedStop": {"seconds", "stops", "default",
        "words"}} (GET /status's "controller"; null without a control
        table or when the controller's items do not read, then "outlookError" says why),
        "schedule": {"workingHours", "open", "nextChange"} (null when the settings lack them, then
        "scheduleNote" says why), "oldestWaiting": {"waiting", "queueEmptyAt", "atMostSeconds",
        "asOf", "says"} (null before the controller's first run), "nextUpload": {"startsAt",
        "expectedAt", "reason"} (GET /status's; null when it cannot be known here, then
        "nextUploadNote" says why), "controller": {the control state's attributes}}.
        """;
  }

  @Override
  public int run(Invocation call) {
    try (Target target = call.target();
        SageMakerClient sageMaker = target.sageMaker();
        LambdaClient lambda = target.lambda();
        DynamoDbClient dynamoDb = target.dynamoDb();
        SqsClient sqs = target.sqs()) {
      String endpoint = target.name(Name.ENDPOINT);
      String uuid = target.name(Name.MAPPING_UUID);
      String table = target.name(Name.CONTROL_TABLE);
      DescribeEndpointResponse description = describe(sageMaker, endpoint);
      Map<String, String> controller = controller(dynamoDb, table);
      RecordedDecision lastRun = null;
      Optional<ControlState> stored = Optional.empty();
      ControllerOutlook outlook = null;
      String unreadable = null;
      HostingStatus hosting = HostingStatus.read(target, sageMaker, description);
      Instant now = call.context().clock().instant();
      try {
        DynamoControlTable control = new DynamoControlTable(dynamoDb, table);
        lastRun = control.lastRecorded().orElse(null);
        stored = control.load();
        ControlState state = stored.orElse(ControlState.INITIAL);
        outlook = ControllerOutlook.of(
            Optional.ofNullable(lastRun).map(RecordedDecision::decision),
            lastRun == null ? null : lastRun.startedBy(),
            // as the controller's next run will plan: only the stack's hosting's wake and stop
            // times
            hosting.hosting() == null ? state : state.forHosting(hosting.hosting()),
            now);
      } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException e) {
        // no control table: nothing recorded, nothing to look ahead from
      } catch (DynamoControlTable.UnreadableItem e) {
        // Not written by this version's controller: the raw attributes below still show what is
        // there.
        lastRun = null;
        unreadable = e.getMessage();
      }
      GetEventSourceMappingResponse mapping = mapping(lambda, uuid);
      UploadOutlook.QueueCounts queue = UploadOutlook.QueueCounts.read(sqs, target);
      ZoneId zone = target.zone(call.context().zone());
      EndpointReport status = new EndpointReport(
          endpoint,
          description,
          hosting,
          uuid,
          mapping,
          controller,
          lastRun,
          outlook,
          unreadable,
          zone,
          HandBacks.readOrSay(
              () -> HandBacks.of(description, mapping, queue.delayed(), target.local()),
              "reading the queue's delayed uploads needs sqs:GetQueueAttributes",
              target.local()),
          UploadOutlook.of(
              target, now, zone, Optional.ofNullable(lastRun), stored, unreadable, queue));
      if (call.json()) {
        call.out().println(Json.line(status.toJson()));
      } else {
        call.out().print(status.render());
      }
    }
    return 0;
  }

  /** The endpoint, or null when it does not exist ({@link InvocationErrors#endpointAbsent}). */
  static DescribeEndpointResponse describe(SageMakerClient sageMaker, String endpoint) {
    try {
      return sageMaker.describeEndpoint(r -> r.endpointName(endpoint));
    } catch (SageMakerException e) {
      if (InvocationErrors.endpointAbsent(e)) {
        return null;
      }
      throw e;
    }
  }

  /** The Classify trigger, or null when it does not exist. */
  static GetEventSourceMappingResponse mapping(LambdaClient lambda, String uuid) {
    try {
      return lambda.getEventSourceMapping(r -> r.uuid(uuid));
    } catch (software.amazon.awssdk.services.lambda.model.ResourceNotFoundException e) {
      return null;
    }
  }

  /** The controller's state item (pk "controller", sk "state"), flattened to strings; null if it has not run. */
  private static Map<String, String> controller(DynamoDbClient dynamoDb, String table) {
    try {
      Map<String, AttributeValue> item = dynamoDb
          .getItem(r -> r.tableName(table)
              .key(Map.of(
                  "pk", AttributeValue.fromS("controller"), "sk", AttributeValue.fromS("state"))))
          .item();
      if (item == null || item.isEmpty()) {
        return null;
      }
      Map<String, String> state = new TreeMap<>();
      item.forEach((name, value) -> {
        if (!name.equals("pk") && !name.equals("sk")) {
          state.put(name, text(value));
        }
      });
      return state;
    } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException e) {
      return null;
    }
  }

  static String text(AttributeValue value) {
    return switch (value.type()) {
      case S -> value.s();
      case N -> value.n();
      case BOOL -> value.bool().toString();
      case NUL -> "null";
      // e.g. the controller's recent wake times (wakeSeconds): "[120, 95]", not the SDK's toString
      case L ->
        value.l().stream()
            .map(EndpointStatusCommand::text)
            .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
      case SS -> String.join(", ", value.ss());
      case NS -> String.join(", ", value.ns());
      default -> value.toString();
    };
  }
}
