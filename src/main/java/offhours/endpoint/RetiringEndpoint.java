package offhours.endpoint;

import java.util.Objects;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;

/**
 * {@link Endpoint} for Hosting=scheduled: the controller's endpoint ({@link SageMakerEndpoint}), and an endpoint this
 * stack's controller made under another config, which it replaces, retired the way the stack-delete cleanup retires
 * one ({@link ComponentEndpoint}'s cleanup view): its inference component first, then the endpoint. A stack updated
 * from Hosting=scale-to-zero leaves such an endpoint: its component ({@code offhours-component-...}) stays on it, and
 * SageMaker refuses DeleteEndpoint while the endpoint has one (the guide's "Delete Endpoints and Resources" deletes the
 * components first, https://docs.aws.amazon.com/sagemaker/latest/dg/realtime-endpoints-delete-resources.html), so a
 * plain DeleteEndpoint would fail at every run and leave the component's instances billing. While the component is
 * being deleted (or still scaling, which DeleteInferenceComponent turns away) the endpoint is reported UPDATING, a
 * state the controller waits out.
 */
final class RetiringEndpoint implements Endpoint {
  private final SageMakerEndpoint endpoint;
  private final ComponentEndpoint retiring;
  private final String endpointConfigName;

  RetiringEndpoint(
      SageMakerEndpoint endpoint,
      SageMakerClient sageMaker,
      String endpointName,
      String endpointConfigName) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.retiring =
        new ComponentEndpoint(sageMaker, endpointName, InferenceComponent.nameOn(endpointName));
    this.endpointConfigName = Objects.requireNonNull(endpointConfigName, "endpointConfigName");
  }

  @Override
  public Status describe() {
    Status ep = endpoint.describe();
    if (!replaced(ep)) {
      return ep;
    }
    Status r = retiring.describe();
    if (r.state() == State.ABSENT) {
      return Status.ABSENT;
    }
    // The retiring view reads no tags and no serverless config: what it adds is the component's
    // state.
    return Status.of(r.state(), r.failureReason(), r.createdAt(), r.modifiedAt())
        .withConfig(ep.configName(), ep.foreign())
        .withServerless(ep.serverless());
  }

  /** This stack's endpoint on another config than the stack's: the one {@link ScheduledPolicy} replaces. */
  private boolean replaced(Status ep) {
    return ep.state() != State.ABSENT
        && !ep.foreign()
        && !ep.serverless()
        && ep.configName() != null
        && !ep.configName().equalsIgnoreCase(endpointConfigName);
  }

  @Override
  public boolean create() {
    return endpoint.create();
  }

  /** A replaced endpoint: its component first, then (a later call, once the component is gone) the endpoint. */
  @Override
  public void delete() {
    if (replaced(endpoint.describe())) {
      retiring.delete();
    } else {
      endpoint.delete();
    }
  }

  @Override
  public Probe probe() {
    return endpoint.probe();
  }
}
