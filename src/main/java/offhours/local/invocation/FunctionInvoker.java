package offhours.local.invocation;

import java.time.Duration;

/**
 * A function of the local Lambda as a caller in this JVM invokes it, synchronously: the HTTP API's local front
 * ({@code local.api}), which may not use the local Lambda's classes, and the local scheduler. Each invocation runs in
 * one of the function's execution environments, with the function's timeout.
 */
public interface FunctionInvoker {

  /** The function's timeout (its template Timeout): an invocation still running then is ended. */
  Duration timeout();

  /**
   * Runs the function with {@code payload} (JSON bytes, as Lambda hands an event to a stream handler) and returns what
   * it answered, or how it failed; its failures are never thrown. The caller's thread runs the handler.
   */
  Invoked invoke(byte[] payload);
}
