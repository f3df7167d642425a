package offhours.local.sagemaker;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import offhours.local.sagemaker.ContainerSupervisor.ContainerStart;
import offhours.local.sagemaker.EndpointConfigs.EndpointConfig;
import offhours.local.sagemaker.EndpointConfigs.Variant;
import offhours.local.sagemaker.HostedEndpoint.Deployment;
import offhours.local.sagemaker.Models.HostedModel;
import offhours.units.Shown;

/**
 * The endpoint life cycle, as SageMaker runs it: CreateEndpoint answers at once with the endpoint {@code Creating};
 * after the creating delay the container is launched and the endpoint goes {@code InService} once it answers its
 * ping (or {@code Failed}). UpdateEndpoint is {@code Updating} while the new container starts, the old one serving;
 * DeleteEndpoint is {@code Deleting} for the deleting delay, then the endpoint is gone and its container stopped; it is
 * refused while the endpoint is Creating or Updating, as SageMaker refuses it.
 *
 * <p>All state sits behind this object's monitor; container launches, pings and stops run outside it. Each
 * incarnation of an endpoint has its own id, so a late task never settles a re-created endpoint. A served container
 * that ends is replaced by {@link ContainerReplacer}, which takes the same monitor.
 */
final class Endpoints implements AutoCloseable {
  private final Arns arns;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final Models models;
  private final EndpointConfigs configs;
  private final ContainerSupervisor containers;
  private final ContainerReplacer replacer;
  private final Map<String, HostedEndpoint> endpoints = new HashMap<>();
  /** Tags given to CreateEndpoint, by endpoint ARN; they go with the endpoint. */
  private final Map<String, Map<String, String>> tags = new HashMap<>();

  private final AtomicLong ids = new AtomicLong();

  private Duration creatingDelay;
  private Duration deletingDelay;
  /** How long an inference component's instances outlast its last copy (managed instance scaling). */
  private Duration instancesDelay;

  private final CreateFaults faults = new CreateFaults();
  /** The end of each creating delay not yet run, by endpoint id: {@link #finishCreatingNow} runs it at once. */
  private final Map<Long, PendingCreate> pendingCreates = new HashMap<>();

  private boolean closed;

  private record PendingCreate(ScheduledFuture<?> due, Runnable finish) {}

  Endpoints(
      Arns arns,
      Clock clock,
      ScheduledExecutorService scheduler,
      Models models,
      EndpointConfigs configs,
      ContainerSupervisor containers,
      Duration creatingDelay,
      Duration deletingDelay) {
    this.arns = arns;
    this.clock = clock;
    this.scheduler = scheduler;
    this.models = models;
    this.configs = configs;
    this.containers = containers;
    this.replacer = new ContainerReplacer(this, clock, scheduler, containers);
    this.creatingDelay = creatingDelay;
    this.deletingDelay = deletingDelay;
    this.instancesDelay = deletingDelay;
  }

  // ---- failure injection and timing, for tests and the controller's tests ----

  synchronized void failNextCreates(int count, String reason) {
    faults.failNext(count, reason);
  }

  synchronized void stallNextCreates(int count) {
    faults.stallNext(count);
  }

  synchronized void delays(Duration creating, Duration deleting, Duration instancesAfterCopies) {
    creatingDelay = requireNonNegative(creating, "creating delay");
    deletingDelay = requireNonNegative(deleting, "deleting delay");
    instancesDelay = requireNonNegative(instancesAfterCopies, "instances delay");
  }

  synchronized Duration creatingDelay() {
    return creatingDelay;
  }

  synchronized Duration deletingDelay() {
    return deletingDelay;
  }

  synchronized Duration instancesDelay() {
    return instancesDelay;
  }

  static Duration requireNonNegative(Duration d, String what) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(what + " must be zero or positive, was " + d);
    }
    return d;
  }

  // ---- reads ----

  synchronized HostedEndpoint get(String name) {
    HostedEndpoint endpoint = endpoints.get(Arns.key(name));
    if (endpoint == null) {
      throw AwsError.validation(
          "Could not find endpoint \"" + arns.shown("endpoint", name) + "\".");
    }
    return endpoint;
  }

  synchronized List<HostedEndpoint> all() {
    return List.copyOf(endpoints.values());
  }

  /** The endpoint the runtime may forward to, or the runtime's error for an endpoint that cannot serve. */
  synchronized HostedEndpoint inService(String name) {
    HostedEndpoint endpoint = endpoints.get(Arns.key(name));
    // The runtime only knows InService endpoints: absent, Creating, Failed and Deleting ones all
    // answer "not found" (the message customers report, e.g.
    // github.com/aws/amazon-sagemaker-examples/issues/559).
    // An endpoint being updated keeps serving from its current container, as SageMaker's does.
    boolean serving = endpoint != null
        && (endpoint.status().equals("InService")
            || endpoint.status().equals("Updating")
                && (endpoint.container() != null || endpoint.hostsComponents()));
    if (!serving) {
      throw new AwsError(
          400,
          "ValidationError",
          "Endpoint " + Shown.value(name) + " of account " + arns.account() + " not found.");
    }
    return endpoint;
  }

  /** The tags of the endpoint with this ARN, or null when no endpoint has it. */
  synchronized Map<String, String> tags(String arn) {
    return tags.get(arn);
  }

  // ---- CreateEndpoint ----

  synchronized String create(String name, String configName, Map<String, String> endpointTags) {
    String arn = arns.arn("endpoint", name);
    if (endpoints.containsKey(Arns.key(name))) {
      throw AwsError.validation("Cannot create already existing endpoint \"" + arn + "\".");
    }
    Deployment d = deployment(name, configName);
    Instant now = clock.instant();
    HostedEndpoint endpoint = new HostedEndpoint(
        ids.incrementAndGet(),
        name,
        arn,
        d.configName(),
        d.variant(),
        d.spec(),
        "Creating",
        now,
        now,
        null,
        null);
    endpoints.put(Arns.key(name), endpoint);
    tags.put(arn, Map.copyOf(endpointTags));
    CreateFaults.Plan plan = faults.next();
    if (plan != CreateFaults.Plan.STALL) {
      String reason = plan == CreateFaults.Plan.FAIL ? faults.failReason() : null;
      Runnable finish = () -> {
        synchronized (this) {
          pendingCreates.remove(endpoint.id());
        }
        finishCreating(endpoint, plan, reason);
      };
      pendingCreates.put(
          endpoint.id(),
          new PendingCreate(
              scheduler.schedule(finish, creatingDelay.toMillis(), TimeUnit.MILLISECONDS), finish));
    }
    return arn;
  }

  /**
   * Ends endpoint {@code name}'s creating delay now, as if it had passed; false when it is not Creating, or stalled,
   * or its delay already ended.
   */
  synchronized boolean finishCreatingNow(String name) {
    HostedEndpoint endpoint = endpoints.get(Arns.key(name));
    if (endpoint == null || !endpoint.status().equals("Creating")) {
      return false;
    }
    PendingCreate pending = pendingCreates.remove(endpoint.id());
    if (pending == null || !pending.due().cancel(false)) {
      return false;
    }
    scheduler.execute(pending.finish());
    return true;
  }

  /** The config's first variant (offhours serves one; it takes all traffic) and its model's container. */
  private Deployment deployment(String endpointName, String configName) {
    EndpointConfig config = configs.get(configName);
    Variant variant = config.variants().get(0);
    if (variant.modelName() == null) {
      return new Deployment(config.name(), variant, null);
    }
    HostedModel model = models.get(variant.modelName());
    return new Deployment(
        config.name(),
        variant,
        new ContainerSpec(endpointName, model.image(), model.modelDataUrl(), model.environment()));
  }

  private void finishCreating(
      HostedEndpoint endpoint, CreateFaults.Plan plan, String injectedReason) {
    if (plan == CreateFaults.Plan.FAIL) {
      transition(endpoint, "Failed", injectedReason, null);
      return;
    }
    if (!isCurrent(endpoint, "Creating")) {
      return;
    }
    if (endpoint.spec() == null) {
      transition(endpoint, "InService", null, null); // instances come with the components' copies
      return;
    }
    ContainerStart started =
        containers.start(endpoint.spec(), endpoint.variant().variantName());
    if (started.container() == null) {
      transition(endpoint, "Failed", started.failure(), null);
    } else if (transition(endpoint, "InService", null, started.container())) {
      replacer.watch(endpoint, started.container());
    } else {
      started.container().close(); // deleted (or the service closed) while the container started
    }
  }

  /** Creating -> InService/Failed, only if this incarnation is still Creating (a delete may have won). */
  private synchronized boolean transition(
      HostedEndpoint endpoint, String status, String reason, ModelContainer container) {
    if (!isCurrent(endpoint, "Creating")) {
      return false;
    }
    endpoints.put(
        Arns.key(endpoint.name()), endpoint.with(status, clock.instant(), reason, container));
    return true;
  }

  /** Whether {@code endpoint} is still the incarnation under its name, in {@code status}, and the service open. */
  synchronized boolean isCurrent(HostedEndpoint endpoint, String status) {
    HostedEndpoint now = endpoints.get(Arns.key(endpoint.name()));
    return !closed && now != null && now.id() == endpoint.id() && now.status().equals(status);
  }

  // ---- UpdateEndpoint ----

  /**
   * {@code Updating} while the new config's container starts (the old one keeps serving), then {@code InService} on
   * the new config. A container that does not start rolls the endpoint back to its old deployment, InService, with
   * the reason in FailureReason.
   */
  String update(String name, String configName) {
    HostedEndpoint updating;
    Deployment target;
    synchronized (this) {
      HostedEndpoint e = get(name);
      if (e.status().equals("Failed")) {
        throw AwsError.validation(
            "Cannot update failed endpoint \"" + e.arn() + "\"; DeleteEndpoint is the only"
                + " operation that can be performed on a failed endpoint.");
      }
      if (!e.status().equals("InService")) {
        throw AwsError.validation("Cannot update in-progress endpoint \"" + e.arn() + "\".");
      }
      target = deployment(e.name(), configName);
      if (e.variant().serverless() == null && target.variant().serverless() != null) {
        // https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints-update.html: a
        // real-time endpoint cannot become a serverless one (the other way round is allowed).
        throw AwsError.validation(
            "Cannot update endpoint \"" + e.arn() + "\" on instances to the serverless"
                + " endpoint config \"" + configName
                + "\": updating a real-time endpoint to a serverless endpoint is"
                + " not supported. Delete the endpoint and create it from that config.");
      }
      updating = e.with("Updating", clock.instant(), null, e.container());
      endpoints.put(Arns.key(e.name()), updating);
    }
    scheduler.schedule(
        () -> finishUpdating(updating, target), creatingDelay.toMillis(), TimeUnit.MILLISECONDS);
    return updating.arn();
  }

  private void finishUpdating(HostedEndpoint updating, Deployment target) {
    if (!isCurrent(updating, "Updating")) {
      return;
    }
    ContainerStart started = target.spec() == null
        ? new ContainerStart(null, null)
        : containers.start(target.spec(), target.variant().variantName());
    ModelContainer retired = null;
    synchronized (this) {
      if (!isCurrent(updating, "Updating")) {
        retired = started.container(); // deleted while the new container started
      } else if (started.container() == null && target.spec() != null) {
        endpoints.put(
            Arns.key(updating.name()),
            updating.with("InService", clock.instant(), started.failure(), updating.container()));
      } else {
        endpoints.put(
            Arns.key(updating.name()),
            updating.deployed(target, clock.instant(), started.container()));
        retired = updating.container();
        if (started.container() != null) {
          replacer.watch(updating, started.container());
        }
      }
    }
    if (retired != null) {
      retired.close();
    }
  }

  // ---- a container crash, and its replacement ----

  /** Kills the container of InService endpoint {@code name} and starts another after {@code restartAfter}. */
  boolean crash(String name, Duration restartAfter) {
    return replacer.crash(name, null, restartAfter);
  }

  /** The incarnation now under {@code name}, or null; {@link ContainerReplacer} reads it holding this monitor. */
  synchronized HostedEndpoint current(String name) {
    return endpoints.get(Arns.key(name));
  }

  /** {@code next} replaces the incarnation under its name; {@link ContainerReplacer} calls it holding this monitor. */
  synchronized void settle(HostedEndpoint next) {
    endpoints.put(Arns.key(next.name()), next);
  }

  // ---- DeleteEndpoint ----

  void delete(String name) {
    HostedEndpoint deleting;
    synchronized (this) {
      HostedEndpoint e = get(name);
      if (e.status().equals("Deleting")) {
        return; // already on its way out
      }
      if (e.status().equals("Creating") || e.status().equals("Updating")) {
        // As SageMaker: an endpoint in progress is deleted once it is InService or Failed (one
        // stuck in Creating only once it fails).
        throw AwsError.validation("Cannot delete in-progress endpoint \"" + e.arn()
            + "\" while it is " + e.status() + "; delete it once it is InService or Failed.");
      }
      deleting = e.with("Deleting", clock.instant(), e.failureReason(), e.container());
      endpoints.put(Arns.key(e.name()), deleting);
    }
    scheduler.schedule(
        () -> finishDeleting(deleting), deletingDelay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void finishDeleting(HostedEndpoint deleting) {
    Incarnation.finishDeleting(this, endpoints, deleting, () -> tags.remove(deleting.arn()));
  }

  /** Stops every running container; later tasks find nothing to settle. */
  @Override
  public void close() {
    List<ModelContainer> running;
    synchronized (this) {
      closed = true;
      running = Incarnation.clear(endpoints);
      tags.clear();
    }
    running.forEach(ModelContainer::close);
  }
}
