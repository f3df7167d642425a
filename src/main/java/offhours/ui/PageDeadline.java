package offhours.ui;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import offhours.aws.AwsClients;
import offhours.units.Shown;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Where the page's reads of the stack are cut: each attempt at {@code attempt}, a read with its retries at {@code
 * call}, so that a stack that takes the connection and never answers (AWS or moto_server hung) is said within seconds.
 * A read cut there fails with the SDK's timeout exception in the page's words, naming the call; the SDK's own words
 * ("Client execution did not complete before the specified timeout configuration: 5000 millis") are in its cause, which
 * the page's server logs and the page does not show ({@link #cutIn}).
 */
public record PageDeadline(Duration attempt, Duration call) {

  /** The SDK's service names as the page says them ({@code DynamoDb}'s GetItem is DynamoDB's). */
  private static final Map<String, String> SERVICES =
      Map.of("DynamoDb", "DynamoDB", "Sqs", "SQS", "S3", "S3", "CloudFormation", "CloudFormation");

  public PageDeadline {
    Objects.requireNonNull(attempt, "attempt");
    Objects.requireNonNull(call, "call");
  }

  /**
   * A view of {@code clients}, on their HTTP client (close them, not it), whose bounded calls are cut at this deadline
   * ({@link AwsClients#cutSooner}) and, when they are, say so in the page's words ({@link #cutIn}).
   */
  public AwsClients on(AwsClients clients) {
    return clients.cutSooner(attempt, call).sharing(new Namer());
  }

  /**
   * What the page and its server's log say of the read in {@code failure}'s causes that was cut at this deadline, or
   * null when none was: the SDK's timeout that the {@link #on} clients throw in its place, in the page's words, wraps
   * the SDK's own of the same type, which the SDK never does itself.
   */
  static CutRead cutIn(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      boolean timeout =
          t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException;
      if (timeout && t.getCause() != null && t.getCause().getClass() == t.getClass()) {
        return new CutRead(t.getMessage(), t.getCause().getMessage());
      }
    }
    return null;
  }

  /**
   * Whether the stack answered the read that failed with {@code failure}, with an error of its own (throttled, denied,
   * no such table: an {@link AwsServiceException} in its causes), rather than not at all.
   */
  static boolean answeredIn(Throwable failure) {
    return answerIn(failure) != null;
  }

  /**
   * What the page says of the read that failed with {@code failure}: that the stack answered with an error of its own,
   * which (the service, the error's code, its HTTP status) and the service's words, quoted as the page quotes a value
   * ({@link Shown#value}: escaped, and cut when long); or, when no error of the stack's is in its causes ({@link
   * #answeredIn}), that the stack did not answer, and the SDK's words.
   */
  static String failedRead(Throwable failure) {
    AwsServiceException error = answerIn(failure);
    if (error == null) {
      return "the stack did not answer: " + failure.getMessage();
    }
    AwsErrorDetails details = error.awsErrorDetails();
    List<String> which = new ArrayList<>();
    if (details != null && details.serviceName() != null) {
      which.add(SERVICES.getOrDefault(details.serviceName(), details.serviceName()));
    }
    if (details != null && details.errorCode() != null) {
      which.add(details.errorCode());
    }
    if (error.statusCode() > 0) {
      which.add("HTTP " + error.statusCode());
    }
    String said = details != null && details.errorMessage() != null
        ? details.errorMessage()
        : error.getMessage();
    return "the stack answered with an error"
        + (which.isEmpty() ? "" : " (" + String.join(", ", which) + ")")
        + (said == null ? "" : ": '" + Shown.value(said) + "'");
  }

  /** The first error of the stack's own in {@code failure}'s causes, or null: it did not answer. */
  private static AwsServiceException answerIn(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof AwsServiceException answer) {
        return answer;
      }
    }
    return null;
  }

  /** A read of the page cut at its deadline: said in the page's words, and in the SDK's. */
  record CutRead(String words, String sdkWords) {}

  /** Seconds when whole (the page's 2 s and 5 s), else milliseconds. */
  private static String said(Duration d) {
    return d.toMillisPart() == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /** Puts the page's words on a call cut at the deadline, naming the call. */
  private final class Namer implements ExecutionInterceptor {
    @Override
    public Throwable modifyException(
        Context.FailedExecution context, ExecutionAttributes attributes) {
      Throwable e = context.exception();
      if (!(e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException)) {
        return e;
      }
      String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
      String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
      String what = service == null || operation == null
          ? "a read"
          : SERVICES.getOrDefault(service, service) + "'s " + operation;
      String cut = e instanceof ApiCallTimeoutException
          ? "within " + said(call) + ", where the page cuts its reads"
          : "in any of its tries, each cut at " + said(attempt) + " as the page's reads are";
      String words = "the stack did not answer " + cut + " (" + what + ")";
      // The SDK takes back only an exception of the type it gave.
      return e instanceof ApiCallTimeoutException
          ? ApiCallTimeoutException.create(words, e)
          : ApiCallAttemptTimeoutException.create(words, e);
    }
  }
}
