package offhours.inference;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.http.HttpMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;

/**
 * The attempts of one InvokeEndpoint call, as the SDK reports them for that request alone (its per-request metrics),
 * so that the ledger adds what a serverless endpoint bills: only attempts the model ran, each for its own time. The
 * SDK retries a throttle, a 5xx and a lost connection within one call; those attempts reached no model and bill
 * nothing, and neither does the backoff between them, while the call's wall time holds both
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html: "billed by the millisecond, and the
 * amount of data processed").
 */
final class BilledAttempts implements MetricPublisher {

  /**
   * One attempt: the HTTP status it got (null when none came back) and its ServiceCallDuration, from sending the
   * request to the answer's status and headers (a model answers only once it ran; reading a body of at most 4 MB is
   * not the model's time): https://docs.aws.amazon.com/sdk-for-java/latest/developer-guide/metrics-list.html
   */
  private record Attempt(Integer status, Duration serviceCall) {}

  private final List<Attempt> attempts = new CopyOnWriteArrayList<>();

  /**
   * Whether an attempt's status says the model ran: an answer (2xx), or SageMaker's ModelError (424), the container's
   * own error, billed with its body as data out. A throttle (429, or SageMaker's 400 ThrottlingException), any other
   * 4xx and SageMaker's own 5xx reached no model.
   */
  private static boolean modelRan(Integer status) {
    return status != null && (status / 100 == 2 || status == 424);
  }

  @Override
  public void publish(MetricCollection call) {
    call.children().forEach(child -> {
      if ("ApiCallAttempt".equals(child.name())) {
        List<Integer> status = child.metricValues(HttpMetric.HTTP_STATUS_CODE);
        List<Duration> took = child.metricValues(CoreMetric.SERVICE_CALL_DURATION);
        attempts.add(new Attempt(
            status.isEmpty() ? null : status.getFirst(),
            took.isEmpty() ? Duration.ZERO : took.getFirst()));
      }
    });
  }

  /**
   * Adds to {@code usage} each attempt the model ran: its own time (at least 1 ms: billed by the millisecond), the
   * image it sent, and {@code receivedBytes} for the last of them, the answer the caller holds. Only the last attempt
   * can be one the model ran (an answer ends the call and the SDK does not retry a ModelError), so the answer's bytes
   * are those of that attempt.
   *
   * <p>A client that did not run the SDK's pipeline reports no attempts (a stand-in); then the call counts as one
   * attempt of {@code callMillis} when {@code callBilled}, as the ledger counted before per-attempt metrics, never
   * less than the bill.
   */
  void addTo(
      InvocationUsage usage,
      long sentBytes,
      long receivedBytes,
      long callMillis,
      boolean callBilled) {
    if (attempts.isEmpty()) {
      if (callBilled) {
        usage.add(Math.max(1, callMillis), sentBytes, receivedBytes);
      }
      return;
    }
    List<Attempt> billed = attempts.stream().filter(a -> modelRan(a.status())).toList();
    for (int i = 0; i < billed.size(); i++) {
      usage.add(
          Math.max(1, billed.get(i).serviceCall().toMillis()),
          sentBytes,
          i == billed.size() - 1 ? receivedBytes : 0);
    }
  }

  @Override
  public void close() {}
}
