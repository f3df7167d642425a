package offhours.local.sagemaker;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import offhours.local.sagemaker.ContainerSupervisor.ContainerStart;
import offhours.local.sagemaker.Models.HostedModel;
import offhours.units.Shown;

/**
 * Inference components on endpoints whose config has a variant without a model
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/realtime-endpoints-deploy-models.html). A component is {@code
 * Creating} for the creating delay, then its copies (one container here, whatever the count) and the instances under
 * them are up and it is {@code InService} (created with 0 copies: InService with no container). The endpoint holds its
 * InitialInstanceCount instances until its first component takes them over, as SageMaker scales instances to zero only
 * on an endpoint that hosts a component; one created with 0 copies lets them go one instances delay after it is
 * InService. UpdateInferenceComponentRuntimeConfig is {@code Updating} while copies scale: out after the creating
 * delay; in after the deleting delay, and the variant's instances follow one instances delay later (managed instance
 * scaling with MinInstanceCount 0; the deleting delay unless a test set its own, {@link
 * LocalSageMaker#delays(java.time.Duration, java.time.Duration, java.time.Duration)}). While a component has no copy,
 * InvokeEndpoint answers SageMaker's no-capacity ValidationError. DeleteInferenceComponent, refused while the component
 * is Creating or Updating, is {@code Deleting} for the deleting delay; DeleteEndpoint is refused while the endpoint has
 * a component ({@link #requireNoneOn}).
 *
 * <p>State sits behind this object's monitor; container launches and stops run outside it. Each incarnation has its
 * own id, so a late task never settles a re-created component.
 */
final class InferenceComponents implements AutoCloseable {

  /** InvokeEndpoint's answer while a component has no copy (DESIGN.md, "Hosting options"). */
  static final String NO_CAPACITY =
      "Inference Component has no capacity to process this request. ApplicationAutoScaling"
          + " may be in-progress (if configured) or try to increase the capacity by invoking"
          + " UpdateInferenceComponentRuntimeConfig API.";

  private final Arns arns;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final Models models;
  private final Endpoints endpoints;
  private final ContainerSupervisor containers;
  private final Map<String, HostedComponent> components = new HashMap<>();
  /** The endpoint incarnations ({@link HostedEndpoint#id}) a component has been created on. */
  private final Set<Long> hosting = new HashSet<>();

  private final AtomicLong ids = new AtomicLong();
  private boolean closed;

  InferenceComponents(
      Arns arns,
      Clock clock,
      ScheduledExecutorService scheduler,
      Models models,
      Endpoints endpoints,
      ContainerSupervisor containers) {
    this.arns = arns;
    this.clock = clock;
    this.scheduler = scheduler;
    this.models = models;
    this.endpoints = endpoints;
    this.containers = containers;
  }

  // ---- reads ----

  synchronized HostedComponent get(String name) {
    HostedComponent component = components.get(Arns.key(name));
    if (component == null) {
      throw AwsError.validation("Could not find inference component \""
          + arns.shown("inference-component", name) + "\".");
    }
    return component;
  }

  /** ListInferenceComponents' filters: endpoint name (exact) and status; newest first as the service sorts. */
  synchronized List<HostedComponent> list(String endpointName, String status) {
    return components.values().stream()
        .filter(c -> endpointName == null || c.endpointName().equalsIgnoreCase(endpointName))
        .filter(c -> status == null || c.status().equals(status))
        .sorted(Comparator.comparing(HostedComponent::created)
            .thenComparing(HostedComponent::id)
            .reversed())
        .toList();
  }

  /**
   * The variant's instances (DescribeEndpoint's CurrentInstanceCount): its InitialInstanceCount until a component is
   * created on it, as SageMaker scales an endpoint's instances to zero only while it hosts a component
   * (https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-zero-instances.html); then those its
   * components keep.
   */
  synchronized int instances(HostedEndpoint endpoint) {
    if (!hosting.contains(endpoint.id())) {
      return endpoint.variant().initialInstanceCount();
    }
    return components.values().stream()
        .filter(c -> c.endpointName().equalsIgnoreCase(endpoint.name()))
        .mapToInt(HostedComponent::instances)
        .sum();
  }

  /**
   * Refuses DeleteEndpoint of an endpoint that still has components, as SageMaker does: its components are deleted
   * first, and the endpoint once none is left, not even one still Deleting.
   */
  synchronized void requireNoneOn(HostedEndpoint endpoint) {
    List<String> left = list(endpoint.name(), null).stream()
        .map(c -> c.name() + " (" + c.status() + ")")
        .toList();
    if (!left.isEmpty()) {
      throw AwsError.validation("Cannot delete endpoint \"" + endpoint.arn()
          + "\" while it has inference components: " + String.join(", ", left)
          + ". Delete them first; the endpoint can be deleted once none is left.");
    }
  }

  /** The component the runtime forwards to, or the runtime's error when it cannot serve now. */
  synchronized HostedComponent serving(String endpointName, String name) {
    HostedComponent component = components.get(Arns.key(name));
    if (component == null || !component.endpointName().equalsIgnoreCase(endpointName)) {
      throw new AwsError(
          400,
          "ValidationError",
          "Inference Component " + Shown.value(name) + " not found for endpoint " + endpointName
              + " of account " + arns.account() + ".");
    }
    if (component.container() == null || component.currentCopies() == 0) {
      throw new AwsError(400, "ValidationError", NO_CAPACITY);
    }
    return component;
  }

  // ---- CreateInferenceComponent ----

  synchronized String create(
      String name,
      String endpointName,
      String variantName,
      String modelName,
      Map<String, Number> compute,
      int copies) {
    String arn = arns.arn("inference-component", name);
    if (components.containsKey(Arns.key(name))) {
      throw AwsError.validation(
          "Cannot create already existing inference component \"" + arn + "\".");
    }
    HostedEndpoint endpoint = endpoints.get(endpointName);
    if (!endpoint.status().equals("InService")) {
      throw AwsError.validation("Cannot create inference component " + name + " on endpoint \""
          + endpoint.arn() + "\": the endpoint is " + endpoint.status() + ", not InService.");
    }
    if (endpoint.variant().modelName() != null) {
      throw AwsError.validation(
          "Endpoint \"" + endpoint.arn() + "\" runs model " + endpoint.variant().modelName()
              + " in variant " + Shown.value(endpoint.variant().variantName())
              + "; inference components need an endpoint config"
              + " whose variant has no ModelName.");
    }
    if (!endpoint.variant().variantName().equals(variantName)) {
      throw AwsError.validation("Variant " + Shown.value(variantName)
          + " does not exist on endpoint \"" + endpoint.arn() + "\".");
    }
    // CopyCount's minimum is 0 at creation as at UpdateInferenceComponentRuntimeConfig: both take
    // the same InferenceComponentRuntimeConfig
    // (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_InferenceComponentRuntimeConfig.html).
    if (copies < 0) {
      throw AwsError.validation(
          "1 validation error detected: Value '" + copies + "' at 'runtimeConfig.copyCount'"
              + " failed to satisfy constraint: Member must have value greater than or equal to 0");
    }
    HostedModel model = models.get(modelName);
    Instant now = clock.instant();
    // The first component takes over the instances the endpoint was created with.
    int inherited = hosting.add(endpoint.id()) ? endpoint.variant().initialInstanceCount() : 0;
    HostedComponent component = new HostedComponent(
        ids.incrementAndGet(),
        name,
        arn,
        endpoint.name(),
        variantName,
        model.name(),
        Map.copyOf(compute),
        new ContainerSpec(
            endpoint.name(), model.image(), model.modelDataUrl(), model.environment()),
        "Creating",
        now,
        now,
        null,
        copies,
        0,
        inherited,
        null);
    components.put(Arns.key(name), component);
    scheduler.schedule(
        () -> {
          if (copies == 0) {
            settleWithoutCopies(component);
          } else {
            scaleOut(component, endpoint.variant().initialInstanceCount());
          }
        },
        endpoints.creatingDelay().toMillis(),
        TimeUnit.MILLISECONDS);
    return arn;
  }

  /**
   * Created with no copy: InService with nothing to run and no container; the instances it took over go one deleting
   * delay later (managed instance scaling), as after a scale-in.
   */
  private void settleWithoutCopies(HostedComponent from) {
    HostedComponent idle;
    synchronized (this) {
      if (!isCurrent(from)) {
        return;
      }
      idle = from.with("InService", clock.instant(), null, 0, 0, from.instances(), null);
      components.put(Arns.key(from.name()), idle);
    }
    if (idle.instances() > 0) {
      scheduler.schedule(
          () -> instancesIn(idle), endpoints.instancesDelay().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Copies (and their instances) up: the container starts and answers its ping, or the component fails. */
  private void scaleOut(HostedComponent from, int instances) {
    if (!isCurrent(from)) {
      return;
    }
    ContainerStart started = containers.start(from.spec(), from.variantName());
    synchronized (this) {
      if (!isCurrent(from)) {
        if (started.container() != null) {
          started.container().close();
        }
        return;
      }
      HostedComponent settled = started.container() == null
          ? from.with(
              "Failed", clock.instant(), started.failure(), from.desiredCopies(), 0, 0, null)
          : from.with(
              "InService",
              clock.instant(),
              null,
              from.desiredCopies(),
              from.desiredCopies(),
              Math.max(1, Math.min(instances, from.desiredCopies())),
              started.container());
      components.put(Arns.key(from.name()), settled);
    }
  }

  private synchronized boolean isCurrent(HostedComponent component) {
    HostedComponent now = components.get(Arns.key(component.name()));
    return !closed && now == component; // the very record this task was scheduled for
  }

  // ---- UpdateInferenceComponentRuntimeConfig ----

  synchronized String updateCopies(String name, int copies, int maxInstances) {
    HostedComponent c = get(name);
    if (copies < 0) {
      throw AwsError.validation("1 validation error detected: Value '" + copies + "' at"
          + " 'desiredRuntimeConfig.copyCount' failed to satisfy constraint: Member must have value greater than or"
          + " equal to 0");
    }
    if (!c.status().equals("InService")) {
      throw AwsError.validation("Cannot update inference component \"" + c.arn() + "\" while it is "
          + c.status() + "; wait until it is InService.");
    }
    HostedComponent updating = c.with(
        "Updating", clock.instant(), null, copies, c.currentCopies(), c.instances(), c.container());
    components.put(Arns.key(name), updating);
    if (copies > 0 && c.container() == null) {
      scheduler.schedule(
          () -> scaleOut(updating, maxInstances),
          endpoints.creatingDelay().toMillis(),
          TimeUnit.MILLISECONDS);
    } else if (copies == 0 && c.currentCopies() > 0) {
      scheduler.schedule(
          () -> scaleIn(updating), endpoints.deletingDelay().toMillis(), TimeUnit.MILLISECONDS);
    } else {
      // Same side of zero: one container serves any count locally; the count settles at once.
      int instances = copies == 0 ? c.instances() : Math.max(1, Math.min(maxInstances, copies));
      components.put(
          Arns.key(name),
          updating.with(
              "InService", clock.instant(), null, copies, copies, instances, c.container()));
    }
    return c.arn();
  }

  /** Copies down to 0 (container stopped, InService); the instances follow one instances delay later. */
  private void scaleIn(HostedComponent from) {
    ModelContainer stopped;
    HostedComponent idle;
    synchronized (this) {
      if (!isCurrent(from)) {
        return;
      }
      stopped = from.container();
      idle = from.with("InService", clock.instant(), null, 0, 0, from.instances(), null);
      components.put(Arns.key(from.name()), idle);
    }
    if (stopped != null) {
      stopped.close();
    }
    scheduler.schedule(
        () -> instancesIn(idle), endpoints.instancesDelay().toMillis(), TimeUnit.MILLISECONDS);
  }

  private synchronized void instancesIn(HostedComponent idle) {
    if (isCurrent(idle) && idle.currentCopies() == 0) {
      components.put(
          Arns.key(idle.name()), idle.with(idle.status(), idle.modified(), null, 0, 0, 0, null));
    }
  }

  // ---- DeleteInferenceComponent ----

  void delete(String name) {
    HostedComponent deleting;
    synchronized (this) {
      HostedComponent c = get(name);
      if (c.status().equals("Deleting")) {
        return;
      }
      // Refused mid-transition, as the AWS provider for Terraform finds SageMaker doing: it retries
      // a delete of a component that is Creating or Updating
      // (https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/sagemaker/inference_component.go).
      if (c.status().equals("Creating") || c.status().equals("Updating")) {
        throw AwsError.validation("Cannot delete inference component \"" + c.arn()
            + "\" while it is " + c.status() + "; wait until it is InService or Failed.");
      }
      deleting = c.with(
          "Deleting",
          clock.instant(),
          c.failureReason(),
          c.desiredCopies(),
          c.currentCopies(),
          c.instances(),
          c.container());
      components.put(Arns.key(name), deleting);
    }
    scheduler.schedule(
        () -> finishDeleting(deleting),
        endpoints.deletingDelay().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void finishDeleting(HostedComponent deleting) {
    Incarnation.finishDeleting(this, components, deleting, () -> {});
  }

  @Override
  public void close() {
    List<ModelContainer> running;
    synchronized (this) {
      closed = true;
      running = Incarnation.clear(components);
    }
    running.forEach(ModelContainer::close);
  }
}
