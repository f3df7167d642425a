package offhours.endpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import offhours.inference.ContractViolation;
import offhours.inference.InferenceClient;
import offhours.inference.InvocationErrors;
import offhours.inference.ModelAnswer;
import offhours.inference.ModelContract;
import offhours.inference.Ranking;
import offhours.inference.ScoredLabel;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

/** {@link Endpoint} on the SageMaker control plane and runtime (or the local hosting service, which speaks both). */
public final class SageMakerEndpoint implements Endpoint {

  /** The whole test invocation, retries included, ends by then: the controller's run has 60 s in all. */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);

  private final SageMakerClient sageMaker;
  private final String endpointName;
  private final String endpointConfigName;
  private final InferenceClient inference;
  private final byte[] probeImage;

  /** For callers that never probe (the stack-delete cleanup): the probe would read the built-in contract unlabelled. */
  public SageMakerEndpoint(SageMakerClient sageMaker, SageMakerRuntimeClient runtime, String endpointName,
      String endpointConfigName) {
    this(sageMaker, runtime, endpointName, endpointConfigName, ModelContract.builtIn(List.of()));
  }

  /** {@code model}: how the consumer calls the model and reads its answers, which the probe checks the same way. */
  public SageMakerEndpoint(SageMakerClient sageMaker, SageMakerRuntimeClient runtime, String endpointName,
      String endpointConfigName, ModelContract model) {
    this.sageMaker = Objects.requireNonNull(sageMaker, "sageMaker");
    this.endpointName = Objects.requireNonNull(endpointName, "endpointName");
    this.endpointConfigName = Objects.requireNonNull(endpointConfigName, "endpointConfigName");
    this.inference = new InferenceClient(runtime, endpointName, model);
    this.probeImage = probeImage();
  }

  static byte[] probeImage() {
    try (InputStream in = SageMakerEndpoint.class.getResourceAsStream("probe.png")) {
      if (in == null) {
        throw new IllegalStateException("offhours/endpoint/probe.png is missing from the controller artifact");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Status describe() {
    DescribeEndpointResponse r;
    try {
      r = sageMaker.describeEndpoint(b -> b.endpointName(endpointName));
    } catch (SageMakerException e) {
      if (notFound(e)) {
        return Status.ABSENT;
      }
      throw e;
    }
    // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeEndpoint.html#sagemaker-DescribeEndpoint-response-EndpointStatus
    State state = switch (r.endpointStatusAsString()) {
      case "Creating" -> State.CREATING;
      case "InService" -> State.IN_SERVICE;
      case "Updating", "SystemUpdating", "RollingBack", "UpdateRollbackFailed" -> State.UPDATING;
      case "Deleting" -> State.DELETING;
      case "Failed", "OutOfService" -> State.FAILED;
      default -> throw new IllegalStateException(
          "endpoint " + endpointName + " has status " + r.endpointStatusAsString() + ", which offhours does not know");
    };
    return new Status(state, r.failureReason(), r.creationTime(), r.lastModifiedTime());
  }

  private static boolean notFound(SageMakerException e) {
    return InvocationErrors.endpointAbsent(e);
  }

  @Override
  public void create() {
    sageMaker.createEndpoint(b -> b.endpointName(endpointName).endpointConfigName(endpointConfigName));
  }

  @Override
  public void delete() {
    try {
      sageMaker.deleteEndpoint(b -> b.endpointName(endpointName));
    } catch (SageMakerException e) {
      if (!notFound(e)) {
        throw e;
      }
    }
  }

  /**
   * The consumer's own request and reading of the answer ({@link InferenceClient}): ready only if the answer fits
   * the model's settings (a shape offhours reads, as many scores as labels when the answer does not name its
   * classes, finite numbers in range for the scores setting), so the trigger is never enabled for a model whose
   * every answer would be a contract error.
   */
  @Override
  public Probe probe() {
    try {
      ModelAnswer answer = inference.invoke(probeImage.clone(), PROBE_TIMEOUT);
      Ranking ranking = answer.ranking();
      ScoredLabel top = ranking.labels().getFirst();
      return new Probe(true, String.format(Locale.ROOT, "%d classes as %s from %s; top %s %.3f%s",
          ranking.labels().size(), ranking.scores().word(), ranking.shape(), top.label(), top.score(),
          answer.variant() == null ? "" : "; answered by variant " + answer.variant()));
    } catch (ContractViolation e) {
      return new Probe(false, "the answer does not fit the model's settings: " + e.getMessage());
    } catch (SdkException e) {
      // Not InService yet, ModelNotReady, 5xx, throttled, unreachable, a model refusing the content type.
      return new Probe(false, InvocationErrors.of(e).reason());
    } catch (RuntimeException e) {
      return new Probe(false, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }
}
