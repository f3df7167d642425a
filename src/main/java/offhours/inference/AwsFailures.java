package offhours.inference;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A failed AWS call, said two ways, decided in this one place. {@link #words} is what the controller's outcome
 * (`endpoint status`, GET /status, the page) and the API's answers show: what failed, the error code and HTTP status,
 * and what to do, in offhours' words. {@link #said} is AWS's own answer, for an operator's log only. AWS's message is
 * never shown: an AccessDeniedException names the account and the caller's role ("User:
 * arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION is not authorized to perform: sagemaker:CreateEndpoint on resource:
 * arn:aws:sagemaker:REGION:ACCOUNT:endpoint/NAME"), and anyone who may call GET /status would read them. It lives
 * beside {@link InvocationErrors}, which says InvokeEndpoint's failures and logs SageMaker's answer in this same form.
 */
public final class AwsFailures {

  /**
   * The IAM action an AccessDenied message names: "... is not authorized to perform: sagemaker:CreateEndpoint on ...".
   * A service prefix and an action name carry no account or role, so the words may name them.
   */
  private static final Pattern ACTION =
      Pattern.compile("not authorized to perform:? ([a-z0-9-]{1,40}:[A-Za-z0-9]{1,80})");

  private AwsFailures() {}

  /**
   * What AWS itself answered {@code error}: its error code (the exception's class without one), HTTP status, request
   * id (what AWS support asks for) and message, as "AccessDeniedException (HTTP 400, request 1a2b): User: ...";
   * "nothing (SdkClientException: ...)" when nothing answered (unreachable, timed out). For an operator's log only,
   * never for what users read: the message may name the account. Control characters are escaped, so a multi-line text
   * stays on its log line.
   */
  public static String said(SdkException error) {
    String text = ResponseShapes.oneLine(message(error));
    if (!(error instanceof AwsServiceException service)) {
      return "nothing (" + error.getClass().getSimpleName() + ": " + text + ")";
    }
    String request = service.requestId();
    return code(service, error.getClass().getSimpleName())
        + " (HTTP " + service.statusCode()
        + (request == null || request.isBlank() ? "" : ", request " + request) + "): " + text;
  }

  /**
   * {@code error}, thrown by {@code call} ("CreateEndpoint", "the control state's write"), in offhours' words, for
   * what users read: the call, the error code and HTTP status, what the code means and what to do; {@code caller}
   * ("the controller", "the API function") names whose role and whose log. An exception that is not the SDK's is
   * offhours' own and already says what happened: its message stands, as a timeout's does.
   */
  public static String words(String call, String caller, RuntimeException error) {
    if (!(error instanceof SdkException sdk)) {
      return error.getMessage();
    }
    String log = caller + "'s log has AWS's answer";
    if (error instanceof ApiCallTimeoutException
        || error instanceof ApiCallAttemptTimeoutException) {
      // The SDK's own text ("Client execution did not complete before the specified timeout
      // configuration: 2000 millis") or a deadline's (InvocationDeadline: which call, cut when):
      // neither names the account, and the deadline's says more than any words here could.
      return error.getMessage();
    }
    if (!(error instanceof AwsServiceException service)) {
      return call + " could not reach AWS (" + error.getClass().getSimpleName()
          + (error instanceof SdkClientException
              ? ": no answer, or not one the SDK could read"
              : "")
          + "); " + log;
    }
    int status = service.statusCode();
    String code = code(service, null);
    if (code == null) {
      return call + " was answered HTTP " + status + " without an error code, which is not AWS's"
          + " error contract: something else answered (a proxy, or an endpoint URL that is not AWS's);"
          + " " + log;
    }
    String shape = " (" + code + ", HTTP " + status + ")";
    String lower = code.toLowerCase(Locale.ROOT);
    if (lower.startsWith("accessdenied") || lower.equals("unauthorizedoperation")) {
      Matcher action = ACTION.matcher(message(service));
      return call + " was refused: " + caller + "'s role may not call "
          + (action.find() ? action.group(1) : "it") + shape + "; check its policy in the stack's"
          + " template and that the resource is the stack's; " + log;
    }
    if (service.isThrottlingException() || status == 429) {
      return call + " was throttled" + shape + ": AWS turned it away as over its rate for now;"
          + " it passes on its own; " + log;
    }
    if (lower.startsWith("resourcelimitexceeded") || lower.contains("quota")) {
      return call + " was refused for an account quota" + shape + "; " + log;
    }
    if (lower.startsWith("validation")) {
      return call + " was refused as invalid" + shape + ": AWS found a parameter, or the"
          + " resource's state, wrong for it; " + log;
    }
    if (lower.startsWith("resourcenotfound")) {
      return call + " was refused" + shape + ": the resource it names does not exist; " + log;
    }
    if (lower.startsWith("resourceinuse")
        || lower.startsWith("resourceconflict")
        || lower.startsWith("conflict")) {
      return call + " was refused" + shape + ": the resource is changing already (another call"
          + " is under way); " + log;
    }
    if (status >= 500) {
      return call + " failed on AWS's side" + shape + ": usually passing; " + log;
    }
    return call + " was refused" + shape + ", which offhours does not know; " + log;
  }

  /** The error code AWS answered, else {@code otherwise}. */
  private static String code(AwsServiceException service, String otherwise) {
    String code =
        service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
    return code == null || code.isBlank() ? otherwise : code;
  }

  /** AWS's message: the error details' when it answered, else the exception's own. */
  static String message(SdkException error) {
    if (error instanceof AwsServiceException s
        && s.awsErrorDetails() != null
        && s.awsErrorDetails().errorMessage() != null) {
      return s.awsErrorDetails().errorMessage();
    }
    return String.valueOf(error.getMessage());
  }
}
