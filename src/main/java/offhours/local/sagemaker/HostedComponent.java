package offhours.local.sagemaker;

import java.time.Instant;
import java.util.Map;

/**
 * One incarnation of a component. {@code desiredCopies}/{@code currentCopies} as RuntimeConfig reports them;
 * {@code instances} the variant's instances it keeps; {@code container} is set while a copy serves.
 */
record HostedComponent(
    long id,
    String name,
    String arn,
    String endpointName,
    String variantName,
    String modelName,
    Map<String, Number> compute,
    ContainerSpec spec,
    String status,
    Instant created,
    Instant modified,
    String failureReason,
    int desiredCopies,
    int currentCopies,
    int instances,
    ModelContainer container)
    implements Incarnation {
  HostedComponent with(
      String newStatus,
      Instant now,
      String reason,
      int desired,
      int current,
      int newInstances,
      ModelContainer newContainer) {
    return new HostedComponent(
        id,
        name,
        arn,
        endpointName,
        variantName,
        modelName,
        compute,
        spec,
        newStatus,
        created,
        now,
        reason,
        desired,
        current,
        newInstances,
        newContainer);
  }
}
