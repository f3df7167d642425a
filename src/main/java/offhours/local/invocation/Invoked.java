package offhours.local.invocation;

import java.util.Objects;

/**
 * What one synchronous invocation of a local function came to: its request ID, and either the bytes its handler wrote
 * ({@code response}) or, when it failed, Lambda's {@code errorType} and {@code errorMessage} for it (the handler's
 * exception, or {@code Sandbox.Timedout} for an invocation that outlived its time).
 */
public record Invoked(String requestId, byte[] response, String errorType, String errorMessage) {

  public Invoked {
    Objects.requireNonNull(requestId, "requestId");
    if ((response == null) == (errorType == null)) {
      throw new IllegalArgumentException("an invocation has either a response or an error");
    }
  }

  /** The handler returned and wrote {@code response}. */
  public static Invoked answered(String requestId, byte[] response) {
    return new Invoked(requestId, response, null, null);
  }

  /** The invocation failed: {@code errorType} and {@code errorMessage} as Lambda reports them. */
  public static Invoked failed(String requestId, String errorType, String errorMessage) {
    return new Invoked(requestId, null, errorType, String.valueOf(errorMessage));
  }

  public boolean failed() {
    return response == null;
  }
}
