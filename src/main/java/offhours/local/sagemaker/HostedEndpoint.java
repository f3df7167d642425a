package offhours.local.sagemaker;

import java.time.Instant;
import offhours.local.sagemaker.EndpointConfigs.Variant;

/**
 * One incarnation of an endpoint, as {@link Endpoints} keeps it; {@code container} is set while a deployed variant
 * serves.
 */
record HostedEndpoint(
    long id,
    String name,
    String arn,
    String configName,
    Variant variant,
    ContainerSpec spec,
    String status,
    Instant created,
    Instant modified,
    String failureReason,
    ModelContainer container)
    implements Incarnation {
  HostedEndpoint with(String newStatus, Instant now, String reason, ModelContainer newContainer) {
    return new HostedEndpoint(
        id, name, arn, configName, variant, spec, newStatus, created, now, reason, newContainer);
  }

  HostedEndpoint deployed(Deployment d, Instant now, ModelContainer newContainer) {
    return new HostedEndpoint(
        id,
        name,
        arn,
        d.configName(),
        d.variant(),
        d.spec(),
        "InService",
        created,
        now,
        null,
        newContainer);
  }

  /** Its config's variant names no model: it hosts inference components, which run the containers. */
  boolean hostsComponents() {
    return variant.modelName() == null;
  }

  /** What an endpoint config resolves to when an endpoint is created or updated; no spec for components. */
  record Deployment(String configName, Variant variant, ContainerSpec spec) {}
}
