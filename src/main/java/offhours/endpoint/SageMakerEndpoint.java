package offhours.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.ListTagsResponse;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemaker.model.Tag;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;

/** {@link Endpoint} on the SageMaker control plane and runtime (or the local hosting service, which speaks both). */
public final class SageMakerEndpoint implements Endpoint {
  /** The tag the controller puts on the endpoints it creates; its value is the stack's id (ARN). */
  public static final String STACK_TAG = "offhours:stack-id";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SageMakerClient sageMaker;
  private final SageMakerRuntimeClient runtime;
  private final String endpointName;
  private final String endpointConfigName;
  private final String stackId;
  private final byte[] probeImage;

  /**
   * The controller's endpoint: it describes, creates from {@code endpointConfigName} (tagged {@value #STACK_TAG} =
   * {@code stackId}), probes and deletes it, and reports an endpoint without this stack's tag as foreign.
   */
  public SageMakerEndpoint(SageMakerClient sageMaker, SageMakerRuntimeClient runtime, String endpointName,
      String endpointConfigName, String stackId) {
    this.sageMaker = Objects.requireNonNull(sageMaker, "sageMaker");
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.endpointName = Objects.requireNonNull(endpointName, "endpointName");
    this.endpointConfigName = Objects.requireNonNull(endpointConfigName, "endpointConfigName");
    this.stackId = Objects.requireNonNull(stackId, "stackId");
    this.probeImage = probeImage();
  }

  /**
   * The stack-delete cleanup's view: it only describes and deletes the endpoint (its role allows nothing else) and
   * does not read tags: the name carries this stack's id, and an endpoint made before endpoints were tagged must not be
   * left billing when its stack goes.
   */
  public SageMakerEndpoint(SageMakerClient sageMaker, String endpointName) {
    this.sageMaker = Objects.requireNonNull(sageMaker, "sageMaker");
    this.runtime = null;
    this.endpointName = Objects.requireNonNull(endpointName, "endpointName");
    this.endpointConfigName = null;
    this.stackId = null;
    this.probeImage = null;
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
    boolean foreign = false;
    if (stackId != null) {
      Optional<Boolean> tagged = taggedWithThisStack(r.endpointArn());
      if (tagged.isEmpty()) {
        return Status.ABSENT; // deleted between the two calls
      }
      foreign = !tagged.get();
    }
    return new Status(state, r.failureReason(), r.creationTime(), r.lastModifiedTime(), r.endpointConfigName(),
        foreign);
  }

  /**
   * Whether the endpoint carries {@value #STACK_TAG} with this stack's id; empty when it is gone. DescribeEndpoint does
   * not return tags, ListTags does (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ListTags.html).
   */
  private Optional<Boolean> taggedWithThisStack(String endpointArn) {
    String token = null;
    do {
      ListTagsResponse page;
      try {
        String next = token;
        page = sageMaker.listTags(b -> b.resourceArn(endpointArn).maxResults(100).nextToken(next));
      } catch (SageMakerException e) {
        if (e.awsErrorDetails() != null && "ValidationException".equals(e.awsErrorDetails().errorCode())) {
          return Optional.empty(); // ListTags of a resource that no longer exists
        }
        throw e;
      }
      if (page.tags().stream().anyMatch(t -> STACK_TAG.equals(t.key()) && stackId.equals(t.value()))) {
        return Optional.of(true);
      }
      token = page.nextToken();
    } while (token != null && !token.isEmpty());
    return Optional.of(false);
  }

  /** SageMaker answers a missing endpoint with ValidationException "Could not find endpoint ...", not a 404. */
  private static boolean notFound(SageMakerException e) {
    String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
    String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
    return ("ValidationException".equals(code) || "ResourceNotFound".equals(code))
        && message != null && message.contains("Could not find endpoint");
  }

  @Override
  public void create() {
    requireController("create");
    sageMaker.createEndpoint(b -> b.endpointName(endpointName).endpointConfigName(endpointConfigName)
        .tags(Tag.builder().key(STACK_TAG).value(stackId).build()));
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

  /** The built-in image-classification contract: image bytes as application/x-image, a JSON array of scores back. */
  @Override
  public Probe probe() {
    requireController("probe");
    try {
      InvokeEndpointResponse r = runtime.invokeEndpoint(b -> b.endpointName(endpointName)
          .contentType("application/x-image").accept("application/json").body(SdkBytes.fromByteArray(probeImage)));
      String body = r.body().asUtf8String();
      JsonNode node = JSON.readTree(body);
      if (node == null || !node.isArray() || node.isEmpty()) {
        return new Probe(false, "answered " + abbreviate(body) + ", not a JSON array of class probabilities");
      }
      return new Probe(true, node.size() + " class probabilities");
    } catch (IOException e) {
      return new Probe(false, "answered a body that is not JSON: " + e.getMessage());
    } catch (RuntimeException e) {
      // Not InService yet, ModelNotReady, 5xx, throttled, unreachable: the model does not answer (yet).
      return new Probe(false, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private void requireController(String what) {
    if (runtime == null) {
      throw new IllegalStateException("this adapter of " + endpointName + " only describes and deletes; it cannot " + what);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
