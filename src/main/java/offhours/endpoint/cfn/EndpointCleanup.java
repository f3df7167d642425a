package offhours.endpoint.cfn;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import offhours.endpoint.ControlState;
import offhours.endpoint.ControlStore;
import offhours.endpoint.Endpoint;
import offhours.endpoint.Mapping;
import offhours.endpoint.TestEventSweep;

/**
 * The custom resource's logic. It always has an answer for CloudFormation: Create, and an Update that comes with a
 * changed images bucket ({@link #BUCKET_FINGERPRINT}), sweep S3's test event off the images queue
 * ({@link TestEventSweep}) and succeed whatever the sweep found (it never fails the stack; its note is the Reason);
 * other Updates succeed without doing anything; Delete holds the controller (best effort), disables the event source
 * mapping and deletes the endpoint if there is one, and succeeds when both are already gone; any failure answers
 * FAILED with the reason, so a stack operation stops visibly instead of waiting out the timeout or leaving an endpoint
 * billing. An event of another stack (its StackId, or the endpoint or mapping it names, are not this stack's) is never
 * acted on.
 *
 * <p>SageMaker refuses DeleteEndpoint while the endpoint is Creating or Updating (the API reference's EndpointStatus
 * says an endpoint in SystemUpdating can be neither updated nor deleted before the update ends,
 * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeEndpoint.html) and while it still has an
 * inference component (the guide's "Delete Endpoints and Resources" deletes the components first). So Delete looks
 * again every few seconds until the endpoint can go, within a budget that leaves the response inside CloudFormation's
 * ServiceTimeout; an endpoint that does not settle in time is answered FAILED with its state and what to do.
 */
final class EndpointCleanup {
  /** The first pause between two looks; each next one doubles, up to {@link #LONGEST_PAUSE}. */
  private static final Duration FIRST_PAUSE = Duration.ofSeconds(2);

  private static final Duration LONGEST_PAUSE = Duration.ofSeconds(15);

  /** Waits between two looks at the endpoint; tests pass one that moves their clock instead of sleeping. */
  @FunctionalInterface
  interface Pause {
    void sleep(Duration duration) throws InterruptedException;
  }

  /**
   * The PhysicalResourceId of a failed Create. The rollback then sends a Delete for it, which succeeds without acting:
   * nothing was created (the controller depends on this resource, so it never ran and made no endpoint), and a failed
   * rollback (ROLLBACK_FAILED) would leave the stack stuck.
   */
  static final String NOT_CREATED = "offhours-endpoint-cleanup-not-created";

  /**
   * The resource property that changes with the ImagesBucket resource (template.yaml; TemplateMatchesStackSpecTest
   * keeps it a hash of that resource), so that a stack update that may put the bucket's notification configuration
   * again, and with it a new s3:TestEvent, is also an Update of this resource, which sweeps.
   */
  static final String BUCKET_FINGERPRINT = "ImagesBucketFingerprint";

  private final Endpoint endpoint;
  private final Mapping mapping;
  private final ControlStore store;
  private final CleanupConfig config;
  private final Clock clock;
  private final Pause pause;
  private final TestEventSweep sweep;

  EndpointCleanup(
      Endpoint endpoint,
      Mapping mapping,
      ControlStore store,
      CleanupConfig config,
      Clock clock,
      Pause pause,
      TestEventSweep sweep) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.mapping = Objects.requireNonNull(mapping, "mapping");
    this.store = Objects.requireNonNull(store, "store");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.pause = Objects.requireNonNull(pause, "pause");
    this.sweep = Objects.requireNonNull(sweep, "sweep");
  }

  /**
   * Answers {@code event}; a Delete waits at most {@code budget} for the endpoint to settle, a sweep takes at most
   * that too.
   */
  Map<String, Object> handle(Map<String, Object> event, Duration budget) {
    return handle(event, budget, new ArrayList<>());
  }

  /**
   * As above; what AWS answered a call of the sweep that failed goes to {@code awsSaid}, for the function's log line
   * only: the response's Reason is shown in the stack's events.
   */
  Map<String, Object> handle(Map<String, Object> event, Duration budget, List<String> awsSaid) {
    String type = String.valueOf(event.get("RequestType"));
    if (neverCreated(event)) {
      return neverCreatedResponse(event);
    }
    try {
      String foreign = foreign(event);
      if (foreign != null) {
        // Another stack's resource pointing at this function: its deletion must not delete this
        // stack's endpoint, and nothing of another stack may be created through this one.
        return type.equals("Delete")
            ? response(
                event,
                "SUCCESS",
                "ignored, nothing deleted: " + foreign,
                config.physicalResourceId())
            : response(event, "FAILED", "refused: " + foreign, config.physicalResourceId());
      }
      return switch (type) {
        case "Create" -> swept(event, sweep.sweep(false, budget), awsSaid);
        case "Update" ->
          bucketChanged(event)
              ? swept(event, sweep.sweep(true, budget), awsSaid)
              : response(event, "SUCCESS", null, config.physicalResourceId());
        case "Delete" -> response(event, "SUCCESS", delete(budget), config.physicalResourceId());
        default ->
          response(
              event,
              "FAILED",
              "RequestType '" + type + "' is not Create, Update or Delete",
              config.physicalResourceId());
      };
    } catch (Unsettled e) {
      return response(event, "FAILED", e.getMessage(), config.physicalResourceId());
    } catch (RuntimeException e) {
      String what = type.equals("Delete")
          ? "could not delete the endpoint " + config.endpointName() + ": "
              + e.getMessage() + "; delete it with 'aws sagemaker delete-endpoint --endpoint-name "
              + config.endpointName()
              + "' or retry the stack deletion"
          : type + " failed: " + e.getMessage();
      return response(event, "FAILED", what, config.physicalResourceId());
    }
  }

  /** The answer when the function cannot work at all (its settings do not parse): FAILED with the reason. */
  static Map<String, Object> unavailable(Map<String, Object> event, String reason) {
    return neverCreated(event)
        ? neverCreatedResponse(event)
        : response(event, "FAILED", reason, NOT_CREATED);
  }

  private static boolean neverCreated(Map<String, Object> event) {
    return "Delete".equals(event.get("RequestType"))
        && NOT_CREATED.equals(event.get("PhysicalResourceId"));
  }

  private static Map<String, Object> neverCreatedResponse(Map<String, Object> event) {
    return response(
        event, "SUCCESS", "nothing to clean up: creating this resource had failed", NOT_CREATED);
  }

  private Map<String, Object> swept(
      Map<String, Object> event, TestEventSweep.Swept swept, List<String> awsSaid) {
    if (swept.awsSaid() != null) {
      awsSaid.add(swept.awsSaid());
    }
    Map<String, Object> r = response(event, "SUCCESS", swept.note(), config.physicalResourceId());
    r.put("Data", Map.of("TestEventsDeleted", swept.deleted()));
    return r;
  }

  /** Whether an Update comes with another {@link #BUCKET_FINGERPRINT} than the resource had. */
  private static boolean bucketChanged(Map<String, Object> event) {
    return !Objects.equals(
        property(event, "ResourceProperties"), property(event, "OldResourceProperties"));
  }

  private static Object property(Map<String, Object> event, String properties) {
    return event.get(properties) instanceof Map<?, ?> p ? p.get(BUCKET_FINGERPRINT) : null;
  }

  /** Why the event is not this stack's, or null when it is. */
  private String foreign(Map<String, Object> event) {
    Object stackId = event.get("StackId");
    if (!config.stackId().equals(stackId)) {
      return "the event is of stack " + stackId + "; this function cleans up after "
          + config.stackId() + " only";
    }
    if (event.get("ResourceProperties") instanceof Map<?, ?> properties) {
      Object name = properties.get("EndpointName");
      if (name != null && !config.endpointName().equals(name)) {
        return "the event names endpoint " + name + "; this stack's is " + config.endpointName();
      }
      Object uuid = properties.get("MappingUuid");
      if (uuid != null && !config.mappingUuid().equals(uuid)) {
        return "the event names event source mapping " + uuid + "; this stack's is "
            + config.mappingUuid();
      }
    }
    return null;
  }

  /**
   * Holds the controller, pauses the trigger and removes the endpoint, all within {@code budget} from now: the budget
   * is what the invocation can spend before its response ({@link EndpointCleanupHandler#budget}), so the time the hold
   * and the pause took (a DynamoDB or Lambda call that stalled until its timeout) is not waited again on top of it.
   */
  private String delete(Duration budget) {
    Instant deadline = clock.instant().plus(budget);
    String held = hold();
    String paused = pause();
    String done = remove(deadline, budget);
    for (String note : new String[] {held, paused}) {
      done = note == null ? done : done + "; " + note;
    }
    return done;
  }

  /**
   * Deletes the endpoint (with scale-to-zero: its component, then, once that is gone, the endpoint), looking again
   * while SageMaker would refuse: Creating, Updating, a component still being deleted. Done once the endpoint is
   * Deleting (SageMaker finishes that alone) or absent; throws {@link Unsettled} when {@code deadline} (the end of
   * the Delete's {@code budget}) comes first.
   */
  private String remove(Instant deadline, Duration budget) {
    Instant start = clock.instant();
    Duration next = FIRST_PAUSE;
    Endpoint.State deletedFrom = null;
    boolean justDeleted = false;
    while (true) {
      Endpoint.Status status = endpoint.describe();
      Endpoint.State state = status.state();
      if (state == Endpoint.State.ABSENT || state == Endpoint.State.DELETING) {
        String waited = waited(start);
        return deletedFrom == null
            ? "endpoint already " + (state == Endpoint.State.ABSENT ? "absent" : "deleting")
                + waited
            : "deleted endpoint (was " + deletedFrom + ")" + waited;
      }
      boolean deletable = state == Endpoint.State.IN_SERVICE || state == Endpoint.State.FAILED;
      if (deletable && !justDeleted) {
        // With scale-to-zero this may delete the component only: the next look tells.
        endpoint.delete();
        deletedFrom = deletedFrom == null ? state : deletedFrom;
        justDeleted = true;
        continue;
      }
      justDeleted = false;
      Duration left = Duration.between(clock.instant(), deadline);
      if (left.isNegative() || left.isZero()) {
        throw new Unsettled(unsettled(status, budget));
      }
      sleep(next.compareTo(left) < 0 ? next : left);
      next =
          next.multipliedBy(2).compareTo(LONGEST_PAUSE) < 0 ? next.multipliedBy(2) : LONGEST_PAUSE;
    }
  }

  private String waited(Instant start) {
    long seconds = Duration.between(start, clock.instant()).toSeconds();
    return seconds == 0 ? "" : " after waiting " + seconds + " s for SageMaker to allow it";
  }

  private void sleep(Duration duration) {
    try {
      pause.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the endpoint to settle", e);
    }
  }

  /** Why the endpoint is still there when the budget ran out, and how to finish. */
  private String unsettled(Endpoint.Status status, Duration budget) {
    String name = config.endpointName();
    String component = config.inferenceComponentName();
    return "endpoint " + name + " could not be deleted within " + budget.toSeconds()
        + " s: it is still " + status.state()
        + (status.failureReason() == null ? "" : " (" + status.failureReason() + ")")
        + ". SageMaker deletes an endpoint only once it is InService or Failed"
        + (component == null ? "" : " and its inference component " + component + " is gone")
        + ". Retry the stack deletion in a few minutes, or once it has settled run"
        + (component == null
            ? ""
            : " 'aws sagemaker delete-inference-component --inference-component-name " + component
                + "', then, once that is gone,")
        + " 'aws sagemaker delete-endpoint --endpoint-name " + name
        + "' and retry the stack deletion";
  }

  /** The endpoint did not settle within the budget: answered FAILED with the message as it is. */
  private static final class Unsettled extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unsettled(String message) {
      super(message);
    }
  }

  /**
   * Pauses the trigger before the endpoint goes, so that no batch starts on an endpoint being deleted. Best effort: a
   * mapping in transition (Enabling, Updating) refuses the update, and the deletion of the endpoint, which stops the
   * bill, must not wait for it; a batch that still arrives finds the endpoint gone and is deferred, and the stack
   * deletes the mapping anyway. Returns what went wrong, or null.
   */
  private String pause() {
    try {
      if (mapping.state().polling()) {
        mapping.disable();
      }
      return null;
    } catch (RuntimeException e) {
      return "the trigger was not paused (" + e.getMessage() + ")";
    }
  }

  /**
   * Records a manual stop "until auto" first, so that a controller run still in flight (a last scheduler tick, the
   * endpoint's own Deleting/Deleted state-change event) cannot create the endpoint again while the stack goes away.
   * Best effort: the delete goes on without it (the control table may be gone already in a rollback, or another run may
   * keep writing); returns what went wrong, or null.
   */
  private String hold() {
    try {
      for (int attempt = 0; attempt < 5; attempt++) {
        ControlState current = store.load().orElse(ControlState.INITIAL);
        ControlState held = current.nextWithOverride(
            new ControlState.Override(ControlState.Override.Mode.STOP, null));
        if (store.save(held, current.version())) {
          return null;
        }
      }
      return "the controller was not held: its state kept changing";
    } catch (RuntimeException e) {
      return "the controller was not held (" + e.getMessage() + ")";
    }
  }

  /** The answer to {@code event}; a failed Create gets {@link #NOT_CREATED} ({@link CustomResourceResponse#of}). */
  private static Map<String, Object> response(
      Map<String, Object> event, String status, String reason, String physicalId) {
    return CustomResourceResponse.of(
        event, status, reason, status.equals("FAILED") ? NOT_CREATED : physicalId);
  }
}
