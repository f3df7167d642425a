package offhours.local.sagemaker;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import offhours.aws.PayloadLimits;

/**
 * The runtime's InvokeEndpoint: forwards the payload to the container's {@code POST /invocations} and maps
 * its answer the way SageMaker does
 * (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html).
 */
final class Invoker {
  static final String CUSTOM_ATTRIBUTES = "X-Amzn-SageMaker-Custom-Attributes";
  /** InvokeEndpoint's InferenceComponentName travels in this header. */
  static final String INFERENCE_COMPONENT = "X-Amzn-SageMaker-Inference-Component";
  /** OriginalMessage is at most 2048 characters in the ModelError shape. */
  private static final int ORIGINAL_MESSAGE_LIMIT = 2048;

  /**
   * {@code inferenceComponent}: the component to invoke, or null on an endpoint that runs a model itself. {@code
   * requestId}: the id the answer carries in x-amzn-RequestId, which some of SageMaker's messages name.
   */
  record Request(
      String requestId,
      String contentType,
      String accept,
      String customAttributes,
      String inferenceComponent,
      byte[] body) {}

  /** Where a request goes: the endpoint's own container or one of its component's, and the variant that answers. */
  private record Destination(HostedEndpoint endpoint, String variant, ModelContainer container) {}

  record Response(String contentType, String variant, String customAttributes, byte[] body) {}

  private final Endpoints endpoints;
  private final InferenceComponents components;
  private final Arns arns;
  private final HttpClient http;
  private final Duration modelTimeout;
  private final ServerlessCapacity serverless;
  /** Injected errors still to answer (a burst), and the error; guarded by this. */
  private int failNext;

  private AwsError failWith;
  /** Injected errors answered so far. */
  private long failedOnPurpose;
  /** The hold every call waits at first, or null; set and read under this. */
  private InvocationHold hold;

  Invoker(
      Endpoints endpoints,
      InferenceComponents components,
      Arns arns,
      HttpClient http,
      Duration modelTimeout,
      ServerlessCapacity serverless) {
    this.endpoints = endpoints;
    this.components = components;
    this.arns = arns;
    this.http = http;
    this.modelTimeout = modelTimeout;
    this.serverless = serverless;
  }

  /**
   * The endpoint's own container, or with an InferenceComponentName that component's copy. An endpoint that hosts
   * components needs the name; one that runs a model refuses it.
   */
  private Destination destination(String endpointName, String component) {
    HostedEndpoint endpoint = endpoints.inService(endpointName);
    if (component == null) {
      if (endpoint.hostsComponents()) {
        throw new AwsError(
            400,
            "ValidationError",
            "Inference Component Name header is required for endpoints to"
                + " which you plan to deploy inference components. Please include Inference Component Name header or"
                + " consider using SageMaker models.");
      }
      return new Destination(endpoint, endpoint.variant().variantName(), endpoint.container());
    }
    if (!endpoint.hostsComponents()) {
      throw new AwsError(
          400,
          "ValidationError",
          "Endpoint " + endpointName + " of account " + arns.account()
              + " hosts no inference components; invoke it without an inference component name.");
    }
    HostedComponent c = components.serving(endpoint.name(), component);
    return new Destination(endpoint, c.variantName(), c.container());
  }

  /** The next {@code count} invocations of any endpoint answer {@code error} instead of reaching a container. */
  synchronized void failNext(int count, AwsError error) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, was " + count);
    }
    failNext = count;
    failWith = error;
  }

  /** How many injected errors have been answered, bursts replaced early included. */
  synchronized long injectedAnswered() {
    return failedOnPurpose;
  }

  /** Holds every call from now on until the returned hold is closed; one hold at a time. */
  synchronized InvocationHold hold() {
    if (hold != null) {
      throw new IllegalStateException("invocations are held already");
    }
    InvocationHold h = new InvocationHold(this::unhold);
    hold = h;
    return h;
  }

  private synchronized void unhold() {
    hold = null;
  }

  private synchronized InvocationHold currentHold() {
    return hold;
  }

  private synchronized AwsError injected() {
    if (failNext == 0) {
      return null;
    }
    failNext--;
    failedOnPurpose++;
    return failWith; // no stack trace, nothing mutable: one instance serves the burst
  }

  Response invoke(String endpointName, Request request) {
    InvocationHold held = currentHold();
    if (held != null) {
      try {
        held.pass();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AwsError(500, "InternalFailure", "Interrupted while the invocation was held");
      }
    }
    Destination target = destination(endpointName, request.inferenceComponent());
    HostedEndpoint endpoint = target.endpoint();
    if (endpoint.variant().serverless() != null
        && request.body().length > PayloadLimits.SERVERLESS_INVOKE_BYTES) {
      // SageMaker's answer to a larger body on a serverless endpoint: ValidationError (HTTP 400, as
      // the runtime's model declares it) naming the request
      // (https://github.com/aws/sagemaker-python-sdk/issues/4271). Refused before any capacity is
      // taken: nothing reaches the container.
      throw new AwsError(
          400, "ValidationError", "Request " + request.requestId() + " has oversize body.");
    }
    AwsError injected = injected();
    if (injected != null) {
      throw injected;
    }
    if (endpoint.variant().serverless() == null) {
      return forward(target, request);
    }
    serverless.acquire(endpoint);
    try {
      return forward(target, request);
    } finally {
      serverless.release(endpoint);
    }
  }

  /**
   * Sends {@code request}, and once more on a fresh connection when the container closed the connection before
   * sending a single byte. A server that speaks HTTP/1.0 (Python's http.server by default) closes after every
   * response without a Connection header, and the client may have taken that connection from its pool just before
   * the close reached it: the request never got an answer, so it is sent again. Any other failure is the caller's.
   */
  static HttpResponse<byte[]> send(HttpClient http, HttpRequest request)
      throws IOException, InterruptedException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException | ConnectException e) {
      throw e;
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("received no bytes")) {
        throw e;
      }
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }
  }

  private Response forward(Destination target, Request request) {
    HostedEndpoint endpoint = target.endpoint();
    String endpointName = endpoint.name();
    HttpRequest.Builder forward = HttpRequest.newBuilder(
            target.container().baseUri().resolve("/invocations"))
        .timeout(modelTimeout)
        .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
    if (request.contentType() != null) {
      forward.header("Content-Type", request.contentType());
    }
    if (request.accept() != null) {
      forward.header("Accept", request.accept());
    }
    if (request.customAttributes() != null) {
      forward.header(CUSTOM_ATTRIBUTES, request.customAttributes());
    }
    HttpResponse<byte[]> answer;
    try {
      answer = send(http, forward.build());
    } catch (HttpTimeoutException e) {
      // SageMaker's wording when a container misses the 60 s invocation timeout (status 0: no
      // answer).
      throw modelError(
          target,
          0,
          "Your invocation timed out while waiting for a response from container primary."
              + " Review the latency metrics for each container in Amazon CloudWatch, resolve the issue, and try again.");
    } catch (ConnectException e) {
      // The container is gone (crashed or stopped). The service cannot route the request:
      // ServiceUnavailable (503), which callers treat as "try again later", never as the payload's
      // fault.
      throw new AwsError(
          503,
          "ServiceUnavailable",
          "The primary container of endpoint " + endpoint.name()
              + " is not reachable at " + target.container().baseUri()
              + " (connection refused); the service is"
              + " unavailable, try your call again later.");
    } catch (IOException e) {
      throw modelError(
          target, 0, "The container closed the connection without a complete response: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AwsError(
          500, "InternalFailure", "Interrupted while waiting for the container of " + endpointName);
    }
    int status = answer.statusCode();
    if (status / 100 != 2) {
      throw modelError(target, status, new String(answer.body(), StandardCharsets.UTF_8));
    }
    return new Response(
        answer.headers().firstValue("Content-Type").orElse("application/octet-stream"),
        target.variant(),
        answer.headers().firstValue(CUSTOM_ATTRIBUTES).orElse(null),
        answer.body());
  }

  /**
   * ModelError (HTTP 424) in SageMaker's words: {@code Received client|server error (STATUS) from primary with
   * message "BODY". See <logs> in account ACCOUNT for more information.}
   */
  private AwsError modelError(Destination target, int status, String original) {
    HostedEndpoint endpoint = target.endpoint();
    String region = arns.region();
    String account = arns.account();
    String logGroup = "/aws/sagemaker/Endpoints/" + endpoint.name();
    String logs = logFile(target.container())
        .orElse("https://" + region + ".console.aws.amazon.com/cloudwatch/home?region=" + region
            + "#logEventViewer:group=" + logGroup);
    String kind = status >= 400 && status < 500 ? "client" : "server";
    String message = "Received " + kind + " error (" + status + ") from primary with message \""
        + original + "\". See " + logs + " in account " + account + " for more information.";
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("OriginalStatusCode", status);
    fields.put(
        "OriginalMessage",
        original.length() > ORIGINAL_MESSAGE_LIMIT
            ? original.substring(0, ORIGINAL_MESSAGE_LIMIT)
            : original);
    fields.put("LogStreamArn", "arn:aws:logs:" + region + ":" + account + ":log-group:" + logGroup);
    return new AwsError(424, "ModelError", message, fields);
  }

  /** Locally the container's log is a file, which is where a user should look. */
  private static Optional<String> logFile(ModelContainer container) {
    return container instanceof CommandLauncher.CommandContainer c
        ? Optional.of(c.log().toUri().toString())
        : Optional.empty();
  }
}
