package offhours.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import offhours.endpoint.HandedBackWhileServing;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.model.GetEventSourceMappingResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;

/**
 * Whether uploads are being handed back while the endpoint serves, which {@code endpoint status} and {@code queue}
 * both say: the reads of the endpoint, the trigger and the queue the command makes, and what a refused one leaves.
 * The inference, its caveat and its words are {@link HandedBackWhileServing}'s, which GET /status and the page say too.
 *
 * @param endpointStatus DescribeEndpoint's EndpointStatus, or null when the endpoint is absent
 * @param mappingState the Classify trigger's State, or null when the mapping is not found
 * @param delayed the queue's ApproximateNumberOfMessagesDelayed, or -1 when the queue does not exist
 * @param local whether the target is the local stack (its Classify function logs to local/logs/stack.log)
 */
record HandBacks(
    String endpointStatus, String mappingState, long delayed, boolean local, String unreadable) {

  /** Read in full: nothing was refused. */
  HandBacks(String endpointStatus, String mappingState, long delayed, boolean local) {
    this(endpointStatus, mappingState, delayed, local, null);
  }

  /** What a command reads to tell, and may fail at: a refused read must not fail the command it adds to. */
  interface Reading {
    HandBacks read();
  }

  /**
   * {@code reading}'s answer, or, when AWS refuses or fails one of its calls, the line left unknown with why
   * ({@code what}: the reads and the permissions they need): the counts or the endpoint the operator asked for stay
   * shown, and this line is a hint beside them.
   */
  static HandBacks readOrSay(Reading reading, String what, boolean local) {
    try {
      return reading.read();
    } catch (AwsServiceException e) {
      return new HandBacks(
          null, null, -1, local, "unknown (" + what + ": " + MoveTasks.detail(e) + ")");
    } catch (SdkException e) {
      return new HandBacks(null, null, -1, local, "unknown (" + what + ": no answer)");
    }
  }

  /** The counts, read just now, say so ({@link HandedBackWhileServing#of}). */
  private Optional<HandedBackWhileServing> sign() {
    return HandedBackWhileServing.of(endpointStatus, mappingState, delayed);
  }

  /** The counts say uploads are handed back while the endpoint serves and the trigger feeds it. */
  boolean whileServing() {
    return sign().isPresent();
  }

  /** What to tell the operator, without a trailing newline; empty when {@link #whileServing} is not so. */
  Optional<String> line() {
    if (unreadable != null) {
      return Optional.of(HandedBackWhileServing.TOLD + unreadable);
    }
    // The states were read with the queue: nothing to say of when.
    return sign().map(s -> s.line("", local));
  }

  /** {@code "handedBack"}: null, or {"delayed", "inferred": true, "says", "why"}. */
  void putJson(ObjectNode json) {
    if (!whileServing()) {
      json.putNull("handedBack");
      if (unreadable != null) {
        json.put("handedBackNote", unreadable);
      }
      return;
    }
    json.putObject("handedBack")
        .put("delayed", delayed)
        .put("inferred", true)
        .put("says", line().orElseThrow())
        .put("why", HandedBackWhileServing.where(local));
  }

  /** From what a command has already read; either response may be null (absent). */
  static HandBacks of(
      DescribeEndpointResponse endpoint,
      GetEventSourceMappingResponse mapping,
      long delayed,
      boolean local) {
    return new HandBacks(
        endpoint == null ? null : endpoint.endpointStatusAsString(),
        mapping == null ? null : mapping.state(),
        delayed,
        local);
  }
}
