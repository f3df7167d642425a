package offhours.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import offhours.units.Plurals;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.model.GetEventSourceMappingResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Whether uploads are being handed back while the endpoint serves, which {@code endpoint status} and {@code queue}
 * both say. The Classify function hands an upload back (a delayed copy on the queue) only when the endpoint did not
 * answer it; the controller enables the trigger only once the InService endpoint answered its test invocation, and
 * pauses it before the endpoint goes. So delayed uploads beside an InService endpoint and an Enabled trigger mean
 * invocations that fail now (a model server that died, a model that errors on everything): each upload goes round
 * until its MaxDeferrals run out and then toward the DLQ, while every state reads as healthy and the controller keeps
 * the endpoint on. On AWS the alarms say it; here nothing else would.
 *
 * <p>It is an inference from counts: the reason rides on each copy ({@code offhours-deferral-reason}), but SQS has no
 * read that leaves a message's receive count alone (a delayed one cannot be received at all), and receiving would
 * spend the very count deferrals protect. Throttles of a busy endpoint are handed back too, and a copy stays delayed
 * for DeferSeconds, so one may date from a moment of outage already over: the line says so rather than claim more.
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

  /** The counts say uploads are handed back while the endpoint serves and the trigger feeds it. */
  boolean whileServing() {
    return "InService".equals(endpointStatus) && "Enabled".equals(mappingState) && delayed > 0;
  }

  /** What to tell the operator, without a trailing newline; empty when {@link #whileServing} is not so. */
  Optional<String> line() {
    if (unreadable != null) {
      return Optional.of("handed back while the endpoint serves: " + unreadable);
    }
    if (!whileServing()) {
      return Optional.empty();
    }
    return Optional.of("handed back while the endpoint serves: "
        + Plurals.of(delayed, "upload")
        + " delayed with the endpoint InService and the Classify trigger Enabled: invocations are"
        + " probably failing, and each upload goes round until MaxDeferrals, then toward the DLQ"
        + " (inferred from the counts: a busy endpoint's throttles are handed back too, and a copy"
        + " waits DeferSeconds, so one may date from a moment of outage). Why: "
        + where());
  }

  /** Where the reason of each hand-back is written. */
  private String where() {
    return (local
            ? "the Classify function's log, local/logs/stack.log under the cache directory"
            : "the Classify function's log group (Logs Insights: filter outcome = 'DEFERRED')")
        + ", each DEFERRED line's records[].detail; 'offhours dlq show ID' for one that reached the"
        + " DLQ (offhours-deferral-reason)";
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
        .put("why", where());
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

  /** The queue's delayed count, or -1 when the queue does not exist (nothing to infer from). */
  static long delayed(SqsClient sqs, String queueUrl) {
    try {
      String value = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl)
              .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
          .attributes()
          .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED);
      return value == null ? -1 : Long.parseLong(value);
    } catch (QueueDoesNotExistException e) {
      return -1;
    }
  }
}
