package offhours.endpoint;

import java.util.Objects;
import offhours.aws.UsageLedger;
import offhours.inference.ModelContract;
import offhours.stack.InstanceTypes;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeInferenceComponentResponse;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

/**
 * {@link Endpoint} for the scale-to-zero hosting: a real-time endpoint that stays, with one inference component whose
 * copy count is switched between 0 and N instead of deleting and creating the endpoint
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-zero-instances.html). The controller's
 * words map as follows: {@link #create} makes whatever is missing (the endpoint, tagged; then the component with N
 * copies) or sets the copies back to N; {@link #delete} sets the copies to 0 (or creates the component with 0 copies
 * on an endpoint that has none, whose instances would otherwise stay), and removes only what is not the stack's any
 * more (a component of another model, an endpoint of another config, or a failed one). The states:
 * <ul>
 *   <li>the endpoint's own state while it is not InService (or absent, foreign, of another config);
 *   <li>ABSENT with the endpoint up but no component and no instance, or a component at 0 copies on 0 instances
 *       (asleep, unbilled);
 *   <li>CREATING while the component is created or its copies scale out from 0; IN_SERVICE once copies are up
 *       (UPDATING while a changed count settles on copies that serve);
 *   <li>DELETING while copies scale in, and after that while the variant still has instances (managed instance
 *       scaling takes them away minutes later; they are billed until then, so the ledger counts them). In that
 *       second part the stop is {@code resumable}: setting the copies back places them on the instances still up,
 *       a wake without a new instance, so the controller does not wait for them to go;
 *   <li>FAILED for a failed component;
 *   <li>UPDATING for an endpoint that goes (failed, of another config, the stack's deletion) while its component is
 *       being created, scaled or deleted: waited out, as SageMaker deletes the component only once it has settled and
 *       the endpoint only once the component is gone.
 * </ul>
 * An endpoint with a component of another model than the stack's reports that model as its config, so the controller
 * replaces the component as it replaces a stale endpoint.
 */
public final class ComponentEndpoint implements Endpoint {
  private final SageMakerClient sageMaker;
  private final SageMakerEndpoint endpoint;
  private final String endpointName;
  private final String endpointConfigName;
  private final InferenceComponent component;
  private final String modelName;
  private final int copies;

  /**
   * The controller's view: {@code endpointConfigName} is the stack's config for components (a variant without a
   * model), {@code modelName} the stack's model, {@code copies} the count when awake (one per instance) on instances of
   * {@code instanceType}; {@code model} must name {@code componentName} as its inference component, so the probe
   * invokes it.
   */
  public ComponentEndpoint(
      SageMakerClient sageMaker,
      SageMakerRuntimeClient runtime,
      String endpointName,
      String endpointConfigName,
      String componentName,
      String modelName,
      int copies,
      String instanceType,
      String stackId,
      ModelContract model) {
    if (!Objects.requireNonNull(componentName, "componentName")
        .equals(model.inferenceComponentName())) {
      throw new IllegalArgumentException("the probe must invoke component " + componentName
          + ", the model settings" + " name " + model.inferenceComponentName());
    }
    if (copies < 1) {
      throw new IllegalArgumentException("copies when awake must be at least 1, got " + copies);
    }
    this.sageMaker = Objects.requireNonNull(sageMaker, "sageMaker");
    this.endpoint = new SageMakerEndpoint(
        sageMaker,
        runtime,
        endpointName,
        endpointConfigName,
        stackId,
        model,
        modelName,
        UsageLedger.NONE);
    this.endpointName = endpointName;
    this.endpointConfigName = endpointConfigName;
    this.modelName = Objects.requireNonNull(modelName, "modelName");
    this.component = new InferenceComponent(
        sageMaker, componentName, endpointName, modelName, InstanceTypes.accelerated(instanceType));
    this.copies = copies;
  }

  /**
   * The stack-delete cleanup's view: it describes and deletes only, and reads no tags, as {@link
   * SageMakerEndpoint#SageMakerEndpoint(SageMakerClient, String)}. {@link #delete} deletes the component, or once
   * that is gone the endpoint (SageMaker refuses to delete an endpoint that has components); while the component is
   * being deleted {@link #describe} reports the endpoint UPDATING, to wait out.
   */
  public ComponentEndpoint(SageMakerClient sageMaker, String endpointName, String componentName) {
    this.sageMaker = Objects.requireNonNull(sageMaker, "sageMaker");
    this.endpoint = new SageMakerEndpoint(sageMaker, endpointName);
    this.endpointName = endpointName;
    this.endpointConfigName = null;
    this.component = new InferenceComponent(sageMaker, componentName, endpointName, null, false);
    this.modelName = null;
    this.copies = 0;
  }

  @Override
  public Status describe() {
    Status ep = endpoint.describe();
    boolean cleanup = endpointConfigName == null;
    if (cleanup && ep.state() == State.ABSENT) {
      DescribeInferenceComponentResponse c = component.describe();
      return c == null ? ep : componentOnly(c);
    }
    if (!cleanup && ep.serverless()) {
      return ep; // the stack's, from Hosting=serverless: never this hosting's to change
      // (ScheduledPolicy)
    }
    boolean deletable = ep.state() == State.IN_SERVICE || ep.state() == State.FAILED;
    if (!ep.foreign() && deletable && endpointGoes(ep)) {
      DescribeInferenceComponentResponse c = component.describe();
      return c != null && !settled(c) ? componentGoing(ep, c) : ep;
    }
    if (cleanup || ep.foreign() || ep.state() != State.IN_SERVICE || stale(ep)) {
      return ep; // the endpoint speaks for itself: the controller creates, waits for, replaces or
      // leaves it
    }
    DescribeInferenceComponentResponse c = component.describe();
    if (c == null) {
      // Nothing serves. Instances the endpoint holds (its InitialInstanceCount ones before the
      // component is created, or those of a component just replaced) bill, and managed instance
      // scaling removes instances only on an endpoint that hosts a component
      // (https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-zero-instances.html):
      // a resumable DELETING that needs a stop, so the ledger counts them, a wake creates the
      // component on them, and a stop creates it with 0 copies (delete) so that they go. Either way
      // dated at the endpoint's CreationTime: a component created on an endpoint the same wake
      // created is that wake's second step, not a second start (RunPlanner).
      return instances() > 0
          ? Status.of(
                  State.DELETING,
                  "no inference component on instances not yet removed",
                  ep.createdAt(),
                  ep.modifiedAt())
              .withConfig(ep.configName(), false)
              .withResumable(true)
              .withNeedsStop(true)
          : Status.of(State.ABSENT, null, ep.createdAt(), ep.modifiedAt())
              .withConfig(ep.configName(), false);
    }
    String config = modelName.equals(c.specification().modelName())
        ? ep.configName()
        : endpointConfigName + " with model " + c.specification().modelName();
    int desired = orZero(c.runtimeConfig().desiredCopyCount());
    int current = orZero(c.runtimeConfig().currentCopyCount());
    State state = switch (c.inferenceComponentStatusAsString()) {
      case "Creating" -> State.CREATING;
      case "Failed" -> State.FAILED;
      case "Deleting" -> State.DELETING;
      case "InService", "Updating" -> {
        if (desired > 0) {
          // Copies up and more on the way (someone changed the count) still serve: UPDATING, as an
          // endpoint update.
          boolean updating = c.inferenceComponentStatusAsString().equals("Updating");
          yield current == 0 ? State.CREATING : updating ? State.UPDATING : State.IN_SERVICE;
        }
        yield current > 0
                || c.inferenceComponentStatusAsString().equals("Updating")
                || instances() > 0
            ? State.DELETING
            : State.ABSENT;
      }
      default ->
        throw new IllegalStateException("inference component " + component.name() + " has status "
            + c.inferenceComponentStatusAsString() + ", which offhours does not know");
    };
    // createdAt: when this wake (or the component) began, so a scale-out that never ends counts as
    // a stuck creation.
    boolean resumable = state == State.DELETING
        && desired == 0
        && current == 0
        && c.inferenceComponentStatusAsString().equals("InService");
    return Status.of(
            state,
            c.failureReason(),
            state == State.CREATING ? c.lastModifiedTime() : c.creationTime(),
            c.lastModifiedTime())
        .withConfig(config, false)
        .withResumable(resumable);
  }

  /** The cleanup's view of a component left on an absent endpoint: anything but Deleting is still to delete. */
  private static Status componentOnly(DescribeInferenceComponentResponse c) {
    State state =
        c.inferenceComponentStatusAsString().equals("Deleting") ? State.DELETING : State.FAILED;
    return Status.of(
        state,
        "inference component " + c.inferenceComponentName() + " without its endpoint",
        c.creationTime(),
        c.lastModifiedTime());
  }

  /**
   * A component SageMaker is still changing: Deleting, or Creating or Updating (copies scaling), which
   * DeleteInferenceComponent turns away until it settles (the AWS provider for Terraform retries a delete
   * "mid-transition (Creating/Updating)" and waits through both:
   * https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/sagemaker/inference_component.go).
   */
  private static boolean settled(DescribeInferenceComponentResponse c) {
    return !c.inferenceComponentStatusAsString().matches("Deleting|Creating|Updating");
  }

  /**
   * An endpoint to delete whose component is still being deleted, created or scaled: UPDATING, a state to wait out (the
   * controller waits as for an update, the cleanup looks again), as SageMaker refuses DeleteEndpoint while the endpoint
   * has a component and DeleteInferenceComponent while the component is changing. Once the component has settled the
   * next {@link #delete} deletes it, and once it is gone the endpoint speaks for itself again and is deleted.
   */
  private Status componentGoing(Status ep, DescribeInferenceComponentResponse c) {
    String doing = switch (c.inferenceComponentStatusAsString()) {
      case "Deleting" -> "is still being deleted";
      case "Creating" -> "is still being created; it is deleted once that settles";
      default -> "is still scaling its copies; it is deleted once that settles";
    };
    return Status.of(
            State.UPDATING,
            "its inference component " + component.name() + " " + doing,
            ep.createdAt(),
            ep.modifiedAt())
        .withConfig(ep.configName(), ep.foreign());
  }

  private boolean stale(Status ep) {
    return ep.configName() != null && !ep.configName().equalsIgnoreCase(endpointConfigName);
  }

  /** The variant's instances (DescribeEndpoint's CurrentInstanceCount); 0 when it reports none. */
  private int instances() {
    DescribeEndpointResponse r;
    try {
      r = sageMaker.describeEndpoint(b -> b.endpointName(endpointName));
    } catch (SageMakerException e) {
      if (offhours.inference.InvocationErrors.endpointAbsent(e)) {
        return 0;
      }
      throw e;
    }
    return r.productionVariants().stream()
        .mapToInt(v -> orZero(v.currentInstanceCount()))
        .sum();
  }

  @Override
  public boolean create() {
    if (endpoint.describe().state() == State.ABSENT) {
      // The component follows on a later run, once the endpoint is InService.
      return endpoint.create();
    }
    DescribeInferenceComponentResponse c = component.describe();
    if (c == null) {
      return component.create(copies);
    }
    component.setCopies(copies);
    return true;
  }

  /**
   * Puts the component to sleep (0 copies); deletes what the stack does not own any more: a failed or stuck component,
   * one of another model, and with a failed endpoint or one of another config, the endpoint too: first its component,
   * then, in a later call once the component is gone, the endpoint (SageMaker refuses to delete an endpoint with a
   * component).
   */
  @Override
  public void delete() {
    Status ep = endpoint.describe();
    DescribeInferenceComponentResponse c = component.describe();
    boolean endpointGoes = endpointGoes(ep);
    if (c != null) {
      String status = c.inferenceComponentStatusAsString();
      if (status.equals("Deleting")) {
        return; // an endpoint that goes waits until this is gone: a later call deletes it
      }
      boolean componentGoes = endpointGoes
          || !status.matches("InService|Updating")
          || !modelName.equals(c.specification().modelName());
      if (componentGoes) {
        // SageMaker refuses DeleteEndpoint while the endpoint has a component: not in this call.
        component.delete();
      } else if (orZero(c.runtimeConfig().desiredCopyCount()) > 0) {
        component.setCopies(0);
      }
      return;
    }
    if (endpointGoes && ep.state() != State.ABSENT && ep.state() != State.DELETING) {
      endpoint.delete();
    } else if (!endpointGoes && ep.state() == State.IN_SERVICE) {
      // The endpoint's instances with no component on them stay billed: SageMaker scales an
      // endpoint to zero instances only if it hosts a component (see describe). One with 0 copies
      // lets managed instance scaling take them away, as after any sleep
      // (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_InferenceComponentRuntimeConfig.html:
      // CopyCount's minimum is 0).
      component.create(0);
    }
  }

  /**
   * The endpoint is to be deleted: with the stack (the cleanup's view), when it failed, or when it runs another config.
   */
  private boolean endpointGoes(Status ep) {
    return endpointConfigName == null
        || ep.state() == State.FAILED
        || ep.state() != State.ABSENT && stale(ep);
  }

  /** InvokeEndpoint with the component's name ({@link ModelContract#inferenceComponentName}). */
  @Override
  public Probe probe() {
    return endpoint.probe();
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }
}
