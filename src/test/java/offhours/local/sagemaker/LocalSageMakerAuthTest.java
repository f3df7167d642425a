package offhours.local.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.testing.RawUtf8Request;
import offhours.testing.SigV4;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.SageMakerRuntimeException;

/**
 * The local SageMaker answers only its own stack: requests signed with the stack's credentials, addressed to its
 * loopback port, not sent by a web page. Before, three unsigned calls from any local process (or a web page through
 * DNS rebinding) ran a shell command as the user.
 */
class LocalSageMakerAuthTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir
  Path dir;

  private final Fixture f = new Fixture(LocalSageMaker.builder()
      .creatingDelay(Duration.ZERO)
      .container(Fixture.IMAGE, spec -> new FakeContainer()));

  @AfterEach
  void close() {
    f.close();
  }

  private HttpResponse<String> unsigned(String operation, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(f.sageMaker.endpoint())
            .header("X-Amz-Target", "SageMaker." + operation)
            .header("Content-Type", "application/x-amz-json-1.1")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void threeUnsignedCallsNoLongerRunAShellCommand() throws Exception {
    Path marker = dir.resolve("ran");
    String command = "touch " + marker;

    HttpResponse<String> model = unsigned(
        "CreateModel",
        "{\"ModelName\":\"m\",\"PrimaryContainer\":{\"Image\":\"" + LocalSageMaker.COMMAND_IMAGE
            + "\",\"Environment\":{\"OFFHOURS_CONTAINER_COMMAND\":\"" + command + "\"}}}");
    HttpResponse<String> config = unsigned(
        "CreateEndpointConfig",
        "{\"EndpointConfigName\":\"c\","
            + "\"ProductionVariants\":[{\"VariantName\":\"v\",\"ModelName\":\"m\"}]}");
    HttpResponse<String> endpoint =
        unsigned("CreateEndpoint", "{\"EndpointName\":\"e\",\"EndpointConfigName\":\"c\"}");

    for (HttpResponse<String> response : List.of(model, config, endpoint)) {
      assertThat(response.statusCode()).isEqualTo(403);
      assertThat(response.headers().firstValue("x-amzn-ErrorType"))
          .hasValue("MissingAuthenticationTokenException");
    }
    assertThat(f.control.listEndpoints(r -> r.maxResults(10)).endpoints()).isEmpty();
    assertThatThrownBy(() -> f.control.describeModel(r -> r.modelName("m")))
        .hasMessageContaining("Could not find model");
    assertThat(marker).doesNotExist();
  }

  @Test
  void theSdkWithOtherCredentialsGetsUnrecognizedClientOnBothApis() {
    try (AwsClients other = AwsClients.local(
            Fixture.REGION,
            Map.of(
                Service.SAGEMAKER,
                f.sageMaker.endpoint(),
                Service.SAGEMAKER_RUNTIME,
                f.sageMaker.endpoint()));
        SageMakerClient control = other.build(
            Service.SAGEMAKER,
            SageMakerClient.builder()
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())));
        SageMakerRuntimeClient runtime = other.build(
            Service.SAGEMAKER_RUNTIME,
            SageMakerRuntimeClient.builder()
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())))) {

      assertThatThrownBy(() -> control.listEndpoints(r -> r.maxResults(1)))
          .isInstanceOfSatisfying(SageMakerException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
          });
      assertThatThrownBy(() -> runtime.invokeEndpoint(r -> r.endpointName("e")
              .contentType("application/x-image")
              .body(SdkBytes.fromUtf8String("x"))))
          .isInstanceOfSatisfying(SageMakerRuntimeException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
          });
    }
  }

  @Test
  void theStackKeyWithAGuessedSecretGetsInvalidSignature() {
    AwsBasicCredentials guessed =
        AwsBasicCredentials.create(f.sageMaker.credentials().accessKeyId(), "guess");
    try (AwsClients other = AwsClients.local(
            Fixture.REGION, guessed, Map.of(Service.SAGEMAKER, f.sageMaker.endpoint()));
        SageMakerClient control = other.build(
            Service.SAGEMAKER,
            SageMakerClient.builder()
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())))) {

      assertThatThrownBy(() -> control.listEndpoints(r -> r.maxResults(1)))
          .isInstanceOfSatisfying(SageMakerException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
          });
    }
  }

  @Test
  void aSignedRequestFromAWebPageIsRefusedForItsOrigin() throws Exception {
    HttpRequest signed = SigV4.post(
        f.sageMaker.endpoint(),
        Map.of(
            "X-Amz-Target",
            "SageMaker.ListEndpoints",
            "Content-Type",
            "application/x-amz-json-1.1"),
        "{}",
        f.sageMaker.credentials(),
        Fixture.REGION.id(),
        "sagemaker");
    HttpRequest fromAPage = HttpRequest.newBuilder(signed, (name, value) -> true)
        .header("Origin", "http://attacker.example")
        .build();

    HttpResponse<String> response = HTTP.send(fromAPage, HttpResponse.BodyHandlers.ofString());

    assertThat(HTTP.send(signed, HttpResponse.BodyHandlers.ofString()).statusCode())
        .as("the same request without" + " Origin")
        .isEqualTo(200);
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("AccessDeniedException");
  }

  @Test
  void aSignedRequestWhoseTargetNamesAnotherHostIsRefused() throws Exception {
    // RFC 9112 section 3.2.2: a request line's absolute-form target names the host the request is
    // for, whatever Host says. Before, this one was served as POST / to this service.
    int port = f.sageMaker.endpoint().getPort();
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new LinkedHashMap<>(Map.of(
        "X-Amz-Target", "SageMaker.ListEndpoints", "Content-Type", "application/x-amz-json-1.1"));
    headers.putAll(SigV4.headers(
        "POST",
        f.sageMaker.endpoint().resolve("/"),
        Map.copyOf(headers),
        body,
        f.sageMaker.credentials(),
        Fixture.REGION.id(),
        "sagemaker",
        Clock.systemUTC()));

    RawUtf8Request absolute =
        RawUtf8Request.send(port, "POST", "http://evil.example/", headers, body);

    assertThat(RawUtf8Request.send(port, "POST", "/", headers, body).status())
        .as("the same request with its path alone")
        .isEqualTo(200);
    assertThat(absolute.status()).isEqualTo(403);
    assertThat(absolute.head()).containsIgnoringCase("x-amzn-ErrorType: AccessDeniedException");
    assertThat(absolute.body())
        .contains("the local SageMaker refuses this request: the request's target names a scheme or"
            + " host ('http://evil.example')");
  }

  @Test
  void aRequestAddressedToAnotherHostIsRefused() throws Exception {
    // What a page reaches through DNS rebinding: our address and port, its own name in Host.
    int port = f.sageMaker.endpoint().getPort();
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST / HTTP/1.1\r\nHost: rebound.attacker.example:" + port
              + "\r\nX-Amz-Target: SageMaker.ListEndpoints"
              + "\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);

      assertThat(answer)
          .startsWith("HTTP/1.1 403")
          .contains("AccessDeniedException")
          .contains("answers only requests to 127.0.0.1:" + port);
    }
  }
}
