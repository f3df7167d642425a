package offhours.local.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import offhours.api.ApiResponse;
import offhours.api.HttpEvents;
import offhours.local.auth.ApiSignatures;
import offhours.local.auth.StackCredentials;
import offhours.local.lambda.LocalLambda;
import offhours.stack.StackSpec;
import offhours.testing.PartlySent;
import offhours.testing.ReadToClose;
import offhours.testing.SigV4;
import offhours.testing.UnusedSqs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The local front takes what the deployed API's IAM authorization takes: requests signed with SigV4 for
 * {@code execute-api}, here by the AWS SDK's own signer ({@link SigV4}: {@code AwsV4HttpSigner} with its defaults for a
 * service other than S3, the path encoded twice and normalized), with the local stack's credentials; and refuses a
 * signature that does not cover the request as sent with API Gateway's 403, its words and its error type.
 */
class LocalApiGatewaySigV4Test {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REGION = "us-east-1";
  /** A space, '+', '%', 'é' and '/'; the path form without '%', which an HTTP API cannot decode twice. */
  private static final String KEY = "holiday photos/café au lait + 100%.png";

  private static final String PATH_KEY = "holiday photos/café au lait + 100.png";

  private final SqsClient sqs = UnusedSqs.client();
  private final LocalLambda lambda = LocalLambda.builder(sqs).start();
  private final AwsBasicCredentials credentials = StackCredentials.generate();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void close() {
    lambda.close();
    sqs.close();
  }

  /** A front whose function records each event's path and query and answers 200. */
  private LocalApiGateway recording(List<JsonNode> events) throws Exception {
    lambda.registerFunction(
        "offhours-api",
        environment -> (in, out, context) -> {
          events.add(JSON.readTree(in.readAllBytes()));
          out.write(HttpEvents.write(ApiResponse.json(200, Map.of())));
        },
        Duration.ofSeconds(StackSpec.API_TIMEOUT_SECONDS));
    return LocalApiGateway.start(
        lambda.invoker("offhours-api"), new ApiSignatures(credentials, REGION), Clock.systemUTC());
  }

  @Test
  void requestsTheSdksSignerSignsForExecuteApiReachTheFunction() throws Exception {
    List<JsonNode> events = new ArrayList<>();
    try (LocalApiGateway gateway = recording(events)) {
      URI base = gateway.endpoint();
      for (String target : List.of(
          "/status",
          "/results?label=Neutral&limit=5",
          "/results?limit=5&label=Neutral",
          "/results/holiday/chelsea.png",
          "/results/" + encoded(PATH_KEY).replace("%2F", "/"),
          "/results?object=" + encoded(KEY))) {
        HttpResponse<String> answer = send(signed("GET", base, target, null, credentials, now()));
        assertThat(answer.statusCode()).as("%s: %s", target, answer.body()).isEqualTo(200);
      }
      byte[] image = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0, 1, 2};
      HttpResponse<String> posted =
          send(signed("POST", base, "/classify", image, credentials, now()));
      assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);

      assertThat(events).hasSize(7);
      assertThat(events.get(4).at("/pathParameters/key").asText()).isEqualTo(PATH_KEY);
      assertThat(events.get(5).at("/queryStringParameters/object").asText()).isEqualTo(KEY);
      assertThat(events.get(6).get("body").asText())
          .isEqualTo(java.util.Base64.getEncoder().encodeToString(image));
    }
  }

  @Test
  void aSignatureThatDoesNotCoverTheRequestAsSentIsApiGateways403() throws Exception {
    List<JsonNode> events = new ArrayList<>();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream err = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try (LocalApiGateway gateway = recording(events)) {
      URI base = gateway.endpoint();
      String mismatch = "The request signature we calculated does not match the signature you"
          + " provided. Check your AWS Secret Access Key and signing method. Consult the service"
          + " documentation for details.";

      HttpRequest forPath = signed("GET", base, "/results/a.png", null, credentials, now());
      assertRefused(
          send(copy(forPath, base.resolve("/results/b.png"), null)),
          "InvalidSignatureException",
          mismatch);
      HttpRequest forQuery =
          signed("GET", base, "/results?label=Neutral&limit=5", null, credentials, now());
      assertRefused(
          send(copy(forQuery, base.resolve("/results?label=Neutral&limit=6"), null)),
          "InvalidSignatureException",
          mismatch);
      HttpRequest forBody =
          signed("POST", base, "/classify", new byte[] {1, 2, 3}, credentials, now());
      assertRefused(
          send(copy(forBody, forBody.uri(), new byte[] {1, 2, 4})),
          "InvalidSignatureException",
          mismatch);
      AwsBasicCredentials wrongSecret =
          AwsBasicCredentials.create(credentials.accessKeyId(), "not-the-secret");
      assertRefused(
          send(signed("GET", base, "/status", null, wrongSecret, now())),
          "InvalidSignatureException",
          mismatch);
      assertRefused(
          send(signed("GET", base, "/status", null, StackCredentials.generate(), now())),
          "AccessDeniedException",
          "The security token included in the request is invalid.");
      assertRefused(
          send(signed(
              "GET",
              base,
              "/status",
              null,
              credentials,
              Clock.fixed(Instant.now().minus(Duration.ofMinutes(20)), ZoneOffset.UTC))),
          "InvalidSignatureException",
          "Signature expired");
      assertRefused(
          send(HttpRequest.newBuilder(base.resolve("/status")).build()),
          "MissingAuthenticationTokenException",
          "Missing Authentication Token");
      System.setErr(err);
      assertThat(events).as("no invocation").isEmpty();
      assertThat(log.toString(StandardCharsets.UTF_8))
          .as("the stack's log has the reason the answer does not give")
          .contains("offhours local API: GET /results/b.png refused 403 InvalidSignatureException: "
              + mismatch + " The canonical path and query it was checked against:"
              + " '/results/b.png', ''.")
          .contains("GET /status refused 403 AccessDeniedException: The security token included in"
              + " the request is invalid. Local detail: the local HTTP API accepts only the local"
              + " stack's access key id")
          .contains("GET /status refused 403 InvalidSignatureException: Signature expired: ");
    } finally {
      System.setErr(err);
    }
  }

  /**
   * The path is checked in its canonical form, normalized as AWS's rule wants it for every service but S3 and as the
   * SDK's signer signs it, while the JDK's client sends it as it is: '.', '..' and repeated '/' reach the front and are
   * taken. A path that ends in a '.' or '..' segment, which the rule (RFC 3986) and AWS's signers canonicalize apart,
   * is refused, and so is a '..' above the root, which the SDK's signer keeps where the rule drops it.
   */
  @Test
  void aPathIsCheckedInTheFormAwsNormalizesItTo() throws Exception {
    List<JsonNode> events = new ArrayList<>();
    try (LocalApiGateway gateway = recording(events)) {
      URI base = gateway.endpoint();
      List<String> taken = List.of(
          "/results/holiday/./chelsea.png",
          "/results//holiday//chelsea.png",
          "/results/elsewhere/../holiday/chelsea.png",
          "/results/holiday/./");
      for (String target : taken) {
        HttpResponse<String> answer = send(signed("GET", base, target, null, credentials, now()));
        assertThat(answer.statusCode()).as("%s: %s", target, answer.body()).isEqualTo(200);
      }
      assertThat(events)
          .extracting(e -> e.get("rawPath").asText())
          .as("sent as it is, not as it was signed")
          .containsExactlyElementsOf(taken);
      String mismatch = "The request signature we calculated does not match the signature you"
          + " provided. Check your AWS Secret Access Key and signing method. Consult the service"
          + " documentation for details.";
      for (String target : List.of("/results/holiday/chelsea.png/..", "/results/../../status")) {
        assertRefused(
            send(signed("GET", base, target, null, credentials, now())),
            "InvalidSignatureException",
            mismatch);
      }
      assertThat(events).hasSize(taken.size());
    }
  }

  /**
   * A '+' in the query is a plus, as the SDK's clients send one (%2B, a space as %20): a signature that took a '+' sent
   * as it is for a space, as the SDK's signer does with a URI it is handed, is refused.
   */
  @Test
  void aPlusInTheQueryIsAPlus() throws Exception {
    List<JsonNode> events = new ArrayList<>();
    try (LocalApiGateway gateway = recording(events)) {
      URI base = gateway.endpoint();
      for (String target : List.of("/results?object=a%2Bb.png", "/results?object=a%20b.png")) {
        HttpResponse<String> answer = send(signed("GET", base, target, null, credentials, now()));
        assertThat(answer.statusCode()).as("%s: %s", target, answer.body()).isEqualTo(200);
      }
      assertRefused(
          send(signed("GET", base, "/results?object=a+b.png", null, credentials, now())),
          "InvalidSignatureException",
          "The request signature we calculated does not match the signature you provided. Check your"
              + " AWS Secret Access Key and signing method. Consult the service documentation for"
              + " details.");
      assertThat(events).hasSize(2);
    }
  }

  /** A request without credentials is refused before its body is read, as one with a wrong token is. */
  @Test
  void aRequestWithoutCredentialsIsRefusedBeforeItsBodyIsRead() throws Exception {
    List<JsonNode> events = new ArrayList<>();
    try (LocalApiGateway gateway = recording(events)) {
      int port = gateway.endpoint().getPort();
      byte[] body = new byte[10 * 1024 * 1024];
      String unsigned = ReadToClose.answer(
          port,
          "POST /classify HTTP/1.1\r\nHost: 127.0.0.1:" + port
              + "\r\nContent-Type: image/jpeg\r\nContent-Length: " + body.length + "\r\n",
          body);
      assertThat(unsigned)
          .startsWith("HTTP/1.1 403 ")
          .containsIgnoringCase("x-amzn-ErrorType: MissingAuthenticationTokenException")
          .containsIgnoringCase("Connection: close")
          .endsWith("{\"message\":\"Missing Authentication Token\"}");
      assertThat(events).isEmpty();
    }
  }

  /**
   * A signature whose headers show it is not the stack's (another access key, or the stack's signing too long ago) is
   * refused as soon as its headers are in, as a request without credentials is: the front does not wait for a body it
   * would read only to refuse it, here one that never comes whole.
   */
  @Test
  void aSignatureItsHeadersShowIsNotTheStacksIsRefusedBeforeItsBodyIsRead() throws Exception {
    List<JsonNode> events = new ArrayList<>();
    try (LocalApiGateway gateway = recording(events)) {
      int port = gateway.endpoint().getPort();
      URI uri = gateway.endpoint().resolve("/classify");
      byte[] body = new byte[1000];
      Map<String, String> otherKey = SigV4.headers(
          "POST", uri, Map.of(), body, StackCredentials.generate(), REGION, "execute-api", now());
      assertThat(PartlySent.answer(port, partlySentHead(port, otherKey, body), new byte[10]))
          .startsWith("HTTP/1.1 403 ")
          .containsIgnoringCase("x-amzn-ErrorType: AccessDeniedException")
          .endsWith("{\"message\":\"The security token included in the request is invalid.\"}");
      Map<String, String> expired = SigV4.headers(
          "POST",
          uri,
          Map.of(),
          body,
          credentials,
          REGION,
          "execute-api",
          Clock.fixed(Instant.now().minus(Duration.ofMinutes(20)), ZoneOffset.UTC));
      assertThat(PartlySent.answer(port, partlySentHead(port, expired, body), new byte[10]))
          .startsWith("HTTP/1.1 403 ")
          .containsIgnoringCase("x-amzn-ErrorType: InvalidSignatureException")
          .endsWith("{\"message\":\"Signature expired\"}");
      assertThat(events).isEmpty();
    }
  }

  /** A POST /classify's head, with the signature's {@code signed} headers, declaring {@code body}'s length. */
  private static String partlySentHead(int port, Map<String, String> signed, byte[] body) {
    StringBuilder head = new StringBuilder("POST /classify HTTP/1.1\r\nHost: 127.0.0.1:" + port
        + "\r\nContent-Length: " + body.length + "\r\n");
    signed.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    return head.toString();
  }

  private static void assertRefused(HttpResponse<String> answer, String type, String message)
      throws Exception {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
    assertThat(answer.headers().firstValue("x-amzn-ErrorType")).contains(type);
    assertThat(JSON.readTree(answer.body()).get("message").asText()).isEqualTo(message);
  }

  private static Clock now() {
    return Clock.systemUTC();
  }

  /** {@code key} percent-encoded as the SDK's clients encode a value: a space as %20, only unreserved left. */
  private static String encoded(String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("*", "%2A")
        .replace("%7E", "~");
  }

  /** {@code target} on {@code base}, signed by the SDK's signer for execute-api at {@code clock}'s instant. */
  private static HttpRequest signed(
      String method,
      URI base,
      String target,
      byte[] body,
      AwsBasicCredentials credentials,
      Clock clock) {
    URI uri = URI.create(base + target);
    byte[] bytes = body == null ? new byte[0] : body;
    Map<String, String> headers = body == null ? Map.of() : Map.of("Content-Type", "image/jpeg");
    HttpRequest.Builder request = HttpRequest.newBuilder(uri)
        .method(
            method,
            body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(bytes));
    headers.forEach(request::header);
    SigV4.headers(method, uri, headers, bytes, credentials, REGION, "execute-api", clock)
        .forEach(request::header);
    return request.build();
  }

  /** {@code signed}'s method and headers, sent to {@code uri} with {@code body} (null: its own). */
  private static HttpRequest copy(HttpRequest signed, URI uri, byte[] body) {
    HttpRequest.Builder copy = HttpRequest.newBuilder(uri)
        .method(
            signed.method(),
            body == null
                ? signed.bodyPublisher().orElseThrow()
                : HttpRequest.BodyPublishers.ofByteArray(body));
    signed.headers().map().forEach((name, values) -> values.forEach(v -> copy.header(name, v)));
    return copy.build();
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
