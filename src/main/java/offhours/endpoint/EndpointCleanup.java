package offhours.endpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The custom resource's logic: Create and Update succeed without doing anything; Delete disables the event source
 * mapping and deletes the endpoint if there is one, and succeeds when both are already gone. A real error answers
 * FAILED with the reason, so the stack deletion stops visibly instead of leaving an endpoint billing.
 */
final class EndpointCleanup {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Endpoint endpoint;
  private final Mapping mapping;
  private final ControlStore store;
  private final String physicalResourceId;

  EndpointCleanup(Endpoint endpoint, Mapping mapping, ControlStore store, String physicalResourceId) {
    this.endpoint = endpoint;
    this.mapping = mapping;
    this.store = store;
    this.physicalResourceId = physicalResourceId;
  }

  Map<String, Object> handle(Map<String, Object> event) {
    String type = String.valueOf(event.get("RequestType"));
    String status = "SUCCESS";
    String reason = null;
    if (type.equals("Delete")) {
      try {
        reason = delete();
      } catch (RuntimeException e) {
        status = "FAILED";
        reason = "could not delete the endpoint: " + e.getMessage()
            + "; delete it with 'aws sagemaker delete-endpoint' or retry the stack deletion";
      }
    } else if (!type.equals("Create") && !type.equals("Update")) {
      status = "FAILED";
      reason = "RequestType '" + type + "' is not Create, Update or Delete";
    }
    // The contract's fields (crpg-ref-responses): the same PhysicalResourceId on Update, or CloudFormation
    // would treat the update as a replacement and send a Delete for the old id.
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("Status", status);
    if (reason != null) {
      r.put("Reason", reason.length() > 1000 ? reason.substring(0, 1000) : reason);
    }
    Object existing = event.get("PhysicalResourceId");
    r.put("PhysicalResourceId", existing != null ? existing : physicalResourceId);
    r.put("StackId", event.get("StackId"));
    r.put("RequestId", event.get("RequestId"));
    r.put("LogicalResourceId", event.get("LogicalResourceId"));
    r.put("NoEcho", false);
    r.put("Data", Map.of());
    return r;
  }

  private String delete() {
    hold();
    if (mapping.state().polling()) {
      mapping.disable();
    }
    Endpoint.Status status = endpoint.describe();
    switch (status.state()) {
      case ABSENT -> {
        return "endpoint already absent";
      }
      case DELETING -> {
        return "endpoint already deleting";
      }
      default -> {
        endpoint.delete();
        return "deleted endpoint (was " + status.state() + ")";
      }
    }
  }

  /**
   * Records a manual stop "until auto" first, so that a controller run still in flight (a last scheduler tick, the
   * endpoint's own Deleting/Deleted state-change event) cannot create the endpoint again while the stack goes away.
   */
  private void hold() {
    for (int attempt = 0; attempt < 5; attempt++) {
      ControlState current = store.load().orElse(ControlState.INITIAL);
      ControlState held = current.withOverride(new ControlState.Override(ControlState.Override.Mode.STOP, null))
          .withVersion(current.version() + 1);
      if (store.save(held, current.version())) {
        return;
      }
    }
    throw new IllegalStateException("could not record the stop in the control table: it kept changing");
  }

  static String json(Map<String, Object> response) {
    try {
      return JSON.writeValueAsString(response);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
