package offhours.endpoint.cfn;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CloudFormation custom resource's answer, in CloudFormation's contract
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-responses.html): built from the event,
 * and sent with an HTTP PUT to the event's pre-signed {@code ResponseURL}. Shared by the stack's custom resources
 * ({@link EndpointCleanupHandler}, {@link LiveVersionsHandler}).
 */
final class CustomResourceResponse {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** CloudFormation's limit for the whole response is 4096 bytes; the reason gets most of it. */
  private static final int MAX_REASON = 1000;

  /** The longest the response PUT may take to be answered; {@link ResponseDeadline#ANSWER} keeps room for it. */
  static final Duration PUT_TIMEOUT = Duration.ofSeconds(30);

  private CustomResourceResponse() {}

  /**
   * The answer to {@code event}: its own PhysicalResourceId if it has one (the same id on Update, or CloudFormation
   * would treat the update as a replacement and send a Delete for the old one), else {@code newPhysicalId}.
   */
  static Map<String, Object> of(
      Map<String, Object> event, String status, String reason, String newPhysicalId) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("Status", status);
    if (reason != null) {
      r.put("Reason", reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason);
    }
    Object existing = event.get("PhysicalResourceId");
    r.put("PhysicalResourceId", existing != null ? existing : newPhysicalId);
    r.put("StackId", event.get("StackId"));
    r.put("RequestId", event.get("RequestId"));
    r.put("LogicalResourceId", event.get("LogicalResourceId"));
    r.put("NoEcho", false);
    r.put("Data", Map.of());
    return r;
  }

  private static String json(Map<String, Object> response) {
    try {
      return JSON.writeValueAsString(response);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** PUTs {@code body} to the event's ResponseURL; throws if the event has none or the PUT does not succeed. */
  private static void send(HttpClient http, Map<String, Object> event, String body) {
    if (!(event.get("ResponseURL") instanceof String url)) {
      throw new IllegalArgumentException(
          "the event has no ResponseURL, so it is not from CloudFormation: " + event);
    }
    HttpRequest put = HttpRequest.newBuilder(URI.create(url))
        .timeout(PUT_TIMEOUT)
        .PUT(HttpRequest.BodyPublishers.ofString(body))
        .build();
    try {
      HttpResponse<String> r = http.send(put, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException(
            "CloudFormation response URL answered HTTP " + r.statusCode() + ": " + r.body());
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "could not PUT the custom resource response to CloudFormation: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending the custom resource response", e);
    }
  }

  /**
   * How long a custom resource's work may take: {@code budget}, less if the invocation has less time left than that
   * plus {@code reserve} (the time to answer CloudFormation); without a context, as in a test, the whole budget.
   */
  static Duration budget(Context context, Duration budget, Duration reserve) {
    if (context == null) {
      return budget;
    }
    Duration left = Duration.ofMillis(context.getRemainingTimeInMillis()).minus(reserve);
    if (left.isNegative()) {
      return Duration.ZERO;
    }
    return left.compareTo(budget) < 0 ? left : budget;
  }

  /** Logs {@code response} and sends it to CloudFormation ({@link #send}); returns it. */
  static Map<String, Object> answer(
      HttpClient http, Map<String, Object> event, Context context, Map<String, Object> response) {
    return answer(http, event, context, response, List.of());
  }

  /**
   * As above; the log line ends with {@code awsSaid}, what AWS answered the calls that failed ("AWS's answer to CALL:
   * ..."), which the response (shown in the stack's events) never carries.
   */
  static Map<String, Object> answer(
      HttpClient http,
      Map<String, Object> event,
      Context context,
      Map<String, Object> response,
      List<String> awsSaid) {
    String body = json(response);
    if (context != null) {
      StringBuilder line = new StringBuilder("custom resource response: " + body);
      awsSaid.forEach(said -> line.append("; ").append(said));
      context.getLogger().log(line.toString());
    }
    send(http, event, body);
    return response;
  }
}
