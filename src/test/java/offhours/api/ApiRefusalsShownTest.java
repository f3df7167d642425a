package offhours.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What a request itself said (its method, its path, the text of an event that is not JSON), as the API's refusal
 * quotes it: escaped and cut as offhours quotes any value from outside (offhours.units.Shown). Anyone who may invoke the
 * function writes the event; the refusal is JSON, but the CLI and a terminal's curl show its message.
 */
class ApiRefusalsShownTest {

  private final Api api = ApiFixtures.withoutAws();

  private String noRoute(String method, String path) {
    ApiResponse answer = api.handle(new ApiRequest(
        method, path, method + " " + path, Map.of(), Map.of(), Map.of(), new byte[0], "req-1"));
    assertThat(answer.status()).isEqualTo(404);
    String message =
        JsonText.string(JsonText.parse(answer.body().getBytes(StandardCharsets.UTF_8)), "message");
    assertThat(message).hasSizeLessThan(400).doesNotContain("\n", "\u001b", "\u0000");
    return message;
  }

  @Test
  void aPathWithNoRouteIsQuotedEscapedAndCut() {
    assertThat(noRoute("GET", "/" + "p".repeat(4999)))
        .startsWith("no route GET /" + "p".repeat(59)
            + "... (5000 characters); the API has POST /classify");
    assertThat(noRoute("GET", "/x\n\u001b[2J\u0000"))
        .startsWith("no route GET /x\\x0a\\x1b[2J\\x00; the API has ");
    assertThat(noRoute("G\u001bT" + "E".repeat(4997), "/status"))
        .startsWith(
            "no route G\\x1bT" + "E".repeat(57) + "... (5000 characters) /status; the API has ");
  }

  @Test
  void theParsersWordsOnAnEventThatIsNotJsonAreEscaped() {
    assertThatThrownBy(() -> JsonText.parse(
            ("nope\u001b\u0000" + "q".repeat(5000)).getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not JSON: Unrecognized token 'nope\\x1b\\x00qqq")
        .message()
        .doesNotContain("\u001b", "\u0000")
        .hasSizeLessThan(600);
  }

  /**
   * The event's requestContext.requestId, which whoever invokes the function writes, as the API's log lines and its
   * 500 quote it.
   */
  @Test
  void theRequestIdIsShownEscapedAndCutInTheLogAndTheAnswer() {
    String id = "id\u001b]0;owned\u0007\u202e" + "i".repeat(4987);
    String shown = "id\\x1b]0;owned\\x07\\u202e" + "i".repeat(47) + "... (5000 characters)";

    ByteArrayOutputStream log = new ByteArrayOutputStream();
    ApiResponse broken = statusWith(new IllegalStateException("broken"), id, log);
    assertThat(broken.status()).isEqualTo(500);
    assertThat(JsonText.string(
            JsonText.parse(broken.body().getBytes(StandardCharsets.UTF_8)), "message"))
        .isEqualTo("internal error (request " + shown + "); the function's log has the details");
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("offhours api: GET /status failed (request " + shown + "): ")
        .doesNotContain("\u001b", "\u202e");

    ByteArrayOutputStream awsLog = new ByteArrayOutputStream();
    assertThat(statusWith(SdkClientException.create("no answer"), id, awsLog).status())
        .isEqualTo(502);
    assertThat(awsLog.toString(StandardCharsets.UTF_8))
        .contains("offhours api: GET /status failed (request " + shown + "); AWS's answer: ")
        .doesNotContain("\u001b", "\u202e");
  }

  /** GET /status on clients that all throw {@code failure}, its log line written to {@code log}. */
  private static ApiResponse statusWith(
      RuntimeException failure, String requestId, ByteArrayOutputStream log) {
    Api failing = new Api(
        ApiFixtures.unused(S3Client.class),
        throwing(SqsClient.class, failure),
        throwing(DynamoDbClient.class, failure),
        ApiFixtures.unused(SageMakerRuntimeClient.class),
        ApiFixtures.config(),
        Clock.fixed(Instant.parse("2026-11-25T09:40:00Z"), ZoneOffset.UTC),
        new PrintStream(log, true, StandardCharsets.UTF_8));
    return failing.handle(
        new ApiRequest(
            "GET", "/status", "GET /status", Map.of(), Map.of(), Map.of(), new byte[0], requestId),
        () -> 20_000);
  }

  private static <T> T throwing(Class<T> client, RuntimeException failure) {
    return client.cast(Proxy.newProxyInstance(
        client.getClassLoader(), new Class<?>[] {client}, (proxy, method, args) -> {
          if (method.getName().equals("serviceName")) {
            return client.getSimpleName();
          }
          throw failure;
        }));
  }
}
