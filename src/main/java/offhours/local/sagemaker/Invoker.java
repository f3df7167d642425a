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
import offhours.local.sagemaker.Endpoints.HostedEndpoint;

/**
 * The runtime's InvokeEndpoint: forwards the payload to the container's {@code POST /invocations} and maps
 * its answer the way SageMaker does
 * (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html).
 */
final class Invoker {
  static final String CUSTOM_ATTRIBUTES = "X-Amzn-SageMaker-Custom-Attributes";
  /** OriginalMessage is at most 2048 characters in the ModelError shape. */
  private static final int ORIGINAL_MESSAGE_LIMIT = 2048;

  record Request(String contentType, String accept, String customAttributes, byte[] body) {}

  record Response(String contentType, String variant, String customAttributes, byte[] body) {}

  private final Endpoints endpoints;
  private final Arns arns;
  private final HttpClient http;
  private final Duration modelTimeout;
  /** Injected errors still to answer (a burst), and the error; guarded by this. */
  private int failNext;
  private AwsError failWith;

  Invoker(Endpoints endpoints, Arns arns, HttpClient http, Duration modelTimeout) {
    this.endpoints = endpoints;
    this.arns = arns;
    this.http = http;
    this.modelTimeout = modelTimeout;
  }

  /** The next {@code count} invocations of any endpoint answer {@code error} instead of reaching a container. */
  synchronized void failNext(int count, AwsError error) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, was " + count);
    }
    failNext = count;
    failWith = error;
  }

  private synchronized AwsError injected() {
    if (failNext == 0) {
      return null;
    }
    failNext--;
    return failWith; // no stack trace, nothing mutable: one instance serves the burst
  }

  Response invoke(String endpointName, Request request) {
    HostedEndpoint endpoint = endpoints.inService(endpointName);
    AwsError injected = injected();
    if (injected != null) {
      throw injected;
    }
    HttpRequest.Builder forward = HttpRequest.newBuilder(endpoint.container().baseUri().resolve("/invocations"))
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
      answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      // SageMaker's wording when a container misses the 60 s invocation timeout (status 0: no answer).
      throw modelError(endpoint, 0, "Your invocation timed out while waiting for a response from container primary."
          + " Review the latency metrics for each container in Amazon CloudWatch, resolve the issue, and try again.");
    } catch (ConnectException e) {
      // The container is gone (crashed or stopped). The service cannot route the request: ServiceUnavailable (503),
      // which callers treat as "try again later", never as the payload's fault.
      throw new AwsError(503, "ServiceUnavailable", "The primary container of endpoint " + endpoint.name()
          + " is not reachable at " + endpoint.container().baseUri() + " (connection refused); the service is"
          + " unavailable, try your call again later.");
    } catch (IOException e) {
      throw modelError(endpoint, 0, "The container closed the connection without a complete response: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AwsError(500, "InternalFailure", "Interrupted while waiting for the container of " + endpointName);
    }
    int status = answer.statusCode();
    if (status / 100 != 2) {
      throw modelError(endpoint, status, new String(answer.body(), StandardCharsets.UTF_8));
    }
    return new Response(
        answer.headers().firstValue("Content-Type").orElse("application/octet-stream"),
        endpoint.variant().variantName(),
        answer.headers().firstValue(CUSTOM_ATTRIBUTES).orElse(null),
        answer.body());
  }

  /**
   * ModelError (HTTP 424) in SageMaker's words: {@code Received client|server error (STATUS) from primary with
   * message "BODY". See <logs> in account ACCOUNT for more information.}
   */
  private AwsError modelError(HostedEndpoint endpoint, int status, String original) {
    String region = arns.region();
    String account = arns.account();
    String logGroup = "/aws/sagemaker/Endpoints/" + endpoint.name();
    String logs = logFile(endpoint).orElse("https://" + region + ".console.aws.amazon.com/cloudwatch/home?region="
        + region + "#logEventViewer:group=" + logGroup);
    String kind = status >= 400 && status < 500 ? "client" : "server";
    String message = "Received " + kind + " error (" + status + ") from primary with message \"" + original
        + "\". See " + logs + " in account " + account + " for more information.";
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("OriginalStatusCode", status);
    fields.put("OriginalMessage", original.length() > ORIGINAL_MESSAGE_LIMIT
        ? original.substring(0, ORIGINAL_MESSAGE_LIMIT) : original);
    fields.put("LogStreamArn", "arn:aws:logs:" + region + ":" + account + ":log-group:" + logGroup);
    return new AwsError(424, "ModelError", message, fields);
  }

  /** Locally the container's log is a file, which is where a user should look. */
  private static Optional<String> logFile(HostedEndpoint endpoint) {
    return endpoint.container() instanceof CommandLauncher.CommandContainer c
        ? Optional.of(c.log().toUri().toString()) : Optional.empty();
  }
}
