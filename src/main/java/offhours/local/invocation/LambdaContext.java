package offhours.local.invocation;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * The {@link Context} of one in-process invocation; the remaining time counts down from the function timeout. Used by
 * the local Lambda ({@code local.lambda}) and the HTTP API's local front ({@code local.api}), which is why it is in a
 * package of its own: the local Lambda uses the front's loopback server, so neither may use the other's classes.
 *
 * <p>{@code ended} says whether the invocation's execution environment has ended (it outlived its time): from then on
 * what the handler logs through {@link #getLogger()} is dropped, as a Lambda environment shut down logs nothing more.
 * The local Lambda's own lines about the invocation ({@link #report}, "Task timed out") are always written.
 */
public record LambdaContext(
    String awsRequestId,
    String functionName,
    String functionArn,
    long deadlineNanos,
    BooleanSupplier ended)
    implements Context {

  // Reported to handlers that size work by memory; local invocations are not limited.
  private static final int MEMORY_MB = 1024;

  @Override
  public String getAwsRequestId() {
    return awsRequestId;
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/" + functionName;
  }

  @Override
  public String getLogStreamName() {
    return "local/[$LATEST]" + awsRequestId;
  }

  @Override
  public String getFunctionName() {
    return functionName;
  }

  @Override
  public String getFunctionVersion() {
    return "$LATEST";
  }

  @Override
  public String getInvokedFunctionArn() {
    return functionArn;
  }

  @Override
  public CognitoIdentity getIdentity() {
    return null;
  }

  @Override
  public ClientContext getClientContext() {
    return null;
  }

  @Override
  public int getRemainingTimeInMillis() {
    return (int) Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000);
  }

  @Override
  public int getMemoryLimitInMB() {
    return MEMORY_MB;
  }

  /** Writes the local Lambda's own line about this invocation to the function's log, whether or not it has ended. */
  public void report(String message) {
    System.getLogger("offhours.lambda." + functionName)
        .log(System.Logger.Level.INFO, "{0} {1}", awsRequestId, message);
  }

  @Override
  public LambdaLogger getLogger() {
    return new LambdaLogger() {
      @Override
      public void log(String message) {
        if (!ended.getAsBoolean()) {
          report(message);
        }
      }

      @Override
      public void log(byte[] message) {
        log(new String(message, StandardCharsets.UTF_8));
      }
    };
  }
}
