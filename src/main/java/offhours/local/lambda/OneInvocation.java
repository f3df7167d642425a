package offhours.local.lambda;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import offhours.aws.PayloadLimits;
import offhours.local.invocation.Invoked;
import offhours.local.invocation.LambdaContext;

/**
 * One invocation of a local function, whoever invokes it (an event source mapping's batch, the Invoke API, the
 * scheduler, the HTTP API's front): in an execution environment of the function's, on the caller's thread, cut off at
 * the function timeout (or a chaos run's cut-off) as Lambda does. At that moment the environment ends, the function's
 * log says so, and the handler's thread is interrupted; the invocation has failed, whatever the handler does after.
 */
final class OneInvocation {

  private OneInvocation() {}

  static Invoked run(LocalFunction function, byte[] payload, ScheduledExecutorService timer) {
    String requestId = UUID.randomUUID().toString();
    ExecutionEnvironment environment;
    try {
      environment = function.environments().take();
    } catch (RuntimeException | Error e) {
      // What Lambda answers when an environment's init fails.
      return Invoked.failed(requestId, "Runtime.InitError", e.toString());
    }
    LambdaContext context = new LambdaContext(
        requestId,
        function.name(),
        function.arn(),
        System.nanoTime() + function.timeout().toNanos(),
        environment::ended);
    LocalFunction.Limit cutOff = function.nextLimit();
    Duration limit = cutOff.duration();
    String timedOut = "Task timed out after " + seconds(function.timeout());
    // The moment a cut-off ends a running handler counts, not the handler's return: a handler can
    // be held (a chaos run) until that count is seen. By then its environment has ended.
    Watchdog watchdog = new Watchdog(Thread.currentThread(), () -> {
      function.environments().end(environment);
      if (cutOff.cut()) {
        function.cutOffs().fired.incrementAndGet();
      }
      context.report(
          cutOff.cut()
              ? "Invocation cut off after " + seconds(limit) + " (a crash injected by a chaos run)"
              : timedOut);
    });
    ScheduledFuture<?> alarm =
        timer.schedule(watchdog::expire, limit.toNanos(), TimeUnit.NANOSECONDS);
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    Throwable thrown = null;
    try {
      environment.handler().handleRequest(new ByteArrayInputStream(payload), response, context);
    } catch (IOException | RuntimeException | Error e) {
      thrown = e;
    } finally {
      alarm.cancel(false);
    }
    boolean expired = watchdog.finish();
    function.environments().release(environment);
    if (cutOff.cut() && !expired) {
      function.cutOffs().outrun.incrementAndGet();
    }
    if (expired) {
      // Lambda's answer for a function that timed out; a cut-off ends its invocation the same way.
      return Invoked.failed(
          requestId, "Sandbox.Timedout", "RequestId: " + requestId + " Error: " + timedOut);
    }
    if (thrown != null) {
      context.report("Invocation failed: " + thrown);
      return Invoked.failed(requestId, thrown.getClass().getName(), thrown.getMessage());
    }
    if (response.size() > PayloadLimits.LAMBDA_RESPONSE_PAYLOAD_BYTES) {
      // Lambda fails an invocation whose answer is larger than it returns, in these words
      // (PayloadLimits#LAMBDA_RESPONSE_PAYLOAD_BYTES), whatever the handler did.
      context.report("Invocation failed: Function.ResponseSizeTooLarge, the response is "
          + response.size() + " bytes");
      return Invoked.failed(
          requestId,
          "Function.ResponseSizeTooLarge",
          "Response payload size exceeded maximum allowed payload size ("
              + PayloadLimits.LAMBDA_RESPONSE_PAYLOAD_BYTES + " bytes).");
    }
    return Invoked.answered(requestId, response.toByteArray());
  }

  private static String seconds(Duration duration) {
    return duration.toMillis() / 1000.0 + " seconds";
  }

  /** Interrupts a handler that outlives its timeout, and never a thread that has moved on to other work. */
  private static final class Watchdog {
    private final Thread thread;
    private final Runnable onExpire;
    private boolean done; // guarded by this
    private boolean expired; // guarded by this

    private Watchdog(Thread thread, Runnable onExpire) {
      this.thread = thread;
      this.onExpire = onExpire;
    }

    private synchronized void expire() {
      if (!done) {
        expired = true;
        onExpire.run();
        thread.interrupt();
      }
    }

    /** Ends the watch and clears an interrupt it caused; returns whether the handler timed out. */
    private boolean finish() {
      boolean timedOut;
      synchronized (this) {
        done = true;
        timedOut = expired;
      }
      if (timedOut) {
        Thread.interrupted(); // the interrupt happened inside expire(), before done was set
      }
      return timedOut;
    }
  }
}
