package offhours.inference;

import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.metrics.MetricPublisher;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointRequest;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;

/**
 * InvokeEndpoint for offhours: the one place the request is built (endpoint, inference component, content type,
 * accept, body) and its answer read ({@link ResponseShapes}). Errors are the SDK's; {@link InvocationErrors} says
 * what they mean.
 */
public final class InferenceClient {

  private final SageMakerRuntimeClient runtime;
  private final String endpointName;
  private final ModelContract contract;

  public InferenceClient(
      SageMakerRuntimeClient runtime, String endpointName, ModelContract contract) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.endpointName = Objects.requireNonNull(endpointName, "endpointName");
    this.contract = Objects.requireNonNull(contract, "contract");
  }

  /**
   * The runtime client's settings for a caller with a deadline: each attempt gives up after {@code attemptTimeout}
   * (SageMaker's own model timeout is 60 s), and at most {@code maxAttempts} attempts are made with the SDK's
   * standard backoff (throttling, 5xx, I/O errors; a ModelError is never retried), its pauses drawn so that SnapStart
   * environments restored together do not retry together ({@link Jitter}). SQS, not the SDK, is the consumer's retry
   * mechanism.
   */
  public static ClientOverrideConfiguration overrides(Duration attemptTimeout, int maxAttempts) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("at least one attempt, got " + maxAttempts);
    }
    return ClientOverrideConfiguration.builder()
        .apiCallAttemptTimeout(attemptTimeout)
        .retryStrategy(Jitter.standardRetries(maxAttempts))
        .build();
  }

  /**
   * The request for {@code image}; with {@code timeout}, the whole call (every attempt and the backoff between)
   * ends by then.
   */
  private InvokeEndpointRequest request(byte[] image, Duration timeout) {
    return request(image, timeout, null);
  }

  /** As {@link #request(byte[], Duration)}, the SDK reporting this request's metrics to {@code metrics} too. */
  private InvokeEndpointRequest request(byte[] image, Duration timeout, MetricPublisher metrics) {
    InvokeEndpointRequest.Builder request = InvokeEndpointRequest.builder()
        .endpointName(endpointName)
        .contentType(contract.contentTypeFor(image))
        .accept(contract.accept())
        .body(SdkBytes.fromByteArrayUnsafe(
            image)); // the caller hands its array over: no copy of a 6 MB image
    if (contract.inferenceComponentName() != null) {
      request.inferenceComponentName(contract.inferenceComponentName());
    }
    if (timeout != null || metrics != null) {
      request.overrideConfiguration(c -> {
        if (timeout != null) {
          c.apiCallTimeout(timeout);
        }
        if (metrics != null) {
          c.addMetricPublisher(metrics);
        }
      });
    }
    return request.build();
  }

  /**
   * Sends {@code image} and reads the answer, tallying what it spent ({@link #send(byte[], Duration,
   * InvocationUsage)}). Throws the SDK's exception when the call fails (see {@link InvocationErrors#of}) and {@link
   * ContractViolation} when the answer does not fit the contract.
   */
  public ModelAnswer invoke(byte[] image, Duration timeout, InvocationUsage usage) {
    return read(send(image, timeout, usage));
  }

  /**
   * What InvokeEndpoint answered, before it is read: a serverless endpoint bills the answer's bytes as data out
   * whether or not it fits the contract, so a caller that meters sends, counts, then {@link #read}s.
   *
   * @param body the response body as received
   * @param variant the production variant that answered ({@link ModelAnswer#variant()}), or null
   */
  public record RawAnswer(byte[] body, String variant) {

    /**
     * Why this answer is not to be read with the settings of model {@code model} (the caller's MODEL_NAME), or null
     * when it may be: it names no variant, the caller knows no model, or the variant is that model's. The stack names
     * each variant after its model (template.yaml), and the caller's settings (labels, content type, accept, scores)
     * describe the model MODEL_NAME names. After a stack update that replaced the model the two disagree for a while:
     * the functions' `live` aliases move to the new settings as soon as the update publishes them
     * (offhours.endpoint.cfn.LiveVersions), and the endpoint runs the old model until the controller has paused the
     * trigger, drained the batches in flight and replaced it. Read with the new labels, the old model's scores would
     * come out under the wrong class names; the other way round too (a rollback; a serverless endpoint that
     * CloudFormation updated before `live` moved). Names compare without case, as SageMaker's do.
     */
    public String otherModel(String model) {
      if (variant == null || model == null || variant.equalsIgnoreCase(model)) {
        return null;
      }
      return "the endpoint answered from model " + variant
          + ", but this function's settings are for model " + model
          + " (a stack update is replacing one with the other)";
    }
  }

  /** Sends {@code image}; throws the SDK's exception when the call fails (see {@link InvocationErrors#of}). */
  private RawAnswer send(byte[] image, Duration timeout) {
    InvokeEndpointResponse response = runtime.invokeEndpoint(request(image, timeout));
    return new RawAnswer(response.body().asByteArrayUnsafe(), response.invokedProductionVariant());
  }

  /**
   * As {@link #send(byte[], Duration)}, adding to {@code usage} what a serverless endpoint bills for it: per attempt
   * the model ran ({@link BilledAttempts}), that attempt's time, the image sent and the body received. It ran when it
   * answered, and when it failed with a ModelError (its body is billed as data out); a throttle, an absent endpoint or
   * a lost connection reached no model and bills nothing, nor does the SDK's wait before its next attempt. Every
   * caller that invokes the endpoint sends through here, so each counts alike.
   */
  public RawAnswer send(byte[] image, Duration timeout, InvocationUsage usage) {
    if (!usage.metered()) {
      return send(image, timeout); // no per-request metrics on the hot path when nothing reads them
    }
    long started = System.nanoTime();
    BilledAttempts attempts = new BilledAttempts();
    InvokeEndpointResponse response;
    try {
      response = runtime.invokeEndpoint(request(image, timeout, attempts));
    } catch (SdkException e) {
      attempts.addTo(
          usage,
          image.length,
          InvocationErrors.responseBytes(e),
          elapsedMillis(started),
          InvocationErrors.of(e).originalStatus() != null);
      throw e;
    }
    RawAnswer reply =
        new RawAnswer(response.body().asByteArrayUnsafe(), response.invokedProductionVariant());
    attempts.addTo(usage, image.length, reply.body().length, elapsedMillis(started), true);
    return reply;
  }

  /** The time a call took, counted from the request. */
  private static long elapsedMillis(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  /** Reads {@code reply}; throws {@link ContractViolation} when it does not fit the contract. */
  public ModelAnswer read(RawAnswer reply) {
    return new ModelAnswer(ResponseShapes.read(reply.body(), contract), reply.variant());
  }
}
