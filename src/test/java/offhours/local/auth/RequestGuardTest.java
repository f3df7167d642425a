package offhours.local.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import offhours.local.auth.RequestGuard.Refusal;
import offhours.testing.SigV4;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/** Who may drive a local service: only a request signed with the stack's credentials, to its own address. */
class RequestGuardTest {
  private static final Instant NOW = Instant.parse("2026-11-25T09:30:00Z");
  private static final AwsBasicCredentials STACK = StackCredentials.generate();
  private static final URI ENDPOINT =
      URI.create("http://127.0.0.1:41234/endpoints/offhours-endpoint/invocations");
  private static final byte[] BODY = "image bytes".getBytes(StandardCharsets.UTF_8);

  private final RequestGuard guard = guard(Clock.fixed(NOW, ZoneOffset.UTC));

  private static RequestGuard guard(Clock clock) {
    RequestGuard guard =
        new RequestGuard(STACK, "us-east-1", "sagemaker", "the local SageMaker", clock);
    guard.listeningOn(41234);
    return guard;
  }

  /** The request a client signed with {@code credentials} at {@code signedAt}, as the server receives it. */
  private static Headers signed(AwsBasicCredentials credentials, Instant signedAt, String region) {
    Map<String, String> sent =
        Map.of("Content-Type", "application/x-image", "Accept", "application/json");
    Headers headers = new Headers();
    sent.forEach(headers::add);
    SigV4.headers(
            "POST",
            ENDPOINT,
            sent,
            BODY,
            credentials,
            region,
            "sagemaker",
            Clock.fixed(signedAt, ZoneOffset.UTC))
        .forEach(headers::add);
    headers.add("Host", "127.0.0.1:41234");
    return headers;
  }

  private Optional<Refusal> check(Headers headers, byte[] body) {
    return guard.check(
        new RequestGuard.ReceivedRequest("POST", ENDPOINT.getRawPath(), null, headers, body));
  }

  @Test
  void aRequestSignedWithTheStackCredentialsPasses() {
    assertThat(check(signed(STACK, NOW, "us-east-1"), BODY)).isEmpty();
  }

  @Test
  void aRequestWithAnOriginHeaderIsRefusedEvenWhenSigned() {
    Headers headers = signed(STACK, NOW, "us-east-1");
    headers.add("Origin", "http://attacker.example");

    assertThat(check(headers, BODY)).hasValueSatisfying(r -> {
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.type()).isEqualTo("AccessDeniedException");
      assertThat(r.message()).contains("Origin");
    });
  }

  @Test
  void aRequestForAnotherHostIsRefused() {
    Headers headers = signed(STACK, NOW, "us-east-1");
    headers.set(
        "Host",
        "rebound.attacker.example:41234"); // DNS rebinding: the page's own name, our address

    assertThat(check(headers, BODY)).hasValueSatisfying(r -> {
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.type()).isEqualTo("AccessDeniedException");
      assertThat(r.message())
          .isEqualTo("the local SageMaker answers only requests to 127.0.0.1:41234; this one is"
              + " addressed to 'rebound.attacker.example:41234'");
    });
  }

  @Test
  void aRequestWithASecondHostIsRefusedThoughTheFirstIsOurs() {
    Headers headers = signed(STACK, NOW, "us-east-1");
    headers.add("Host", "rebound.attacker.example:41234");

    // Before, the first Host was checked, and the refusal came from the signature, by chance.
    assertThat(check(headers, BODY)).hasValueSatisfying(r -> {
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.type()).isEqualTo("AccessDeniedException");
      assertThat(r.message())
          .isEqualTo("the local SageMaker answers only requests to 127.0.0.1:41234; this one is"
              + " addressed to '127.0.0.1:41234, rebound.attacker.example:41234'");
    });
  }

  @Test
  void anUnsignedRequestIsRefused() {
    Headers headers = new Headers();
    headers.add("Host", "127.0.0.1:41234");

    assertThat(check(headers, BODY)).hasValueSatisfying(r -> {
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.type()).isEqualTo("MissingAuthenticationTokenException");
    });
  }

  /** A malformed signature is AWS's 400, not a 403: README's security table names both. */
  @Test
  void anAuthorizationThatIsNoSigV4HeaderOrADateThatIsNoDateIsA400() {
    Headers v2 = new Headers();
    v2.add("Host", "127.0.0.1:41234");
    v2.add(
        "Authorization",
        "AWS " + STACK.accessKeyId() + ":c2lnbmF0dXJl"); // Signature Version 2's shape
    Headers badDate = signed(STACK, NOW, "us-east-1");
    badDate.set("X-Amz-Date", "yesterday");

    assertThat(check(v2, BODY)).hasValueSatisfying(r -> {
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.type()).isEqualTo("IncompleteSignatureException");
      assertThat(r.message())
          .isEqualTo("Authorization header is not an AWS Signature Version 4 header"
              + " (AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...)");
    });
    assertThat(check(badDate, BODY)).hasValueSatisfying(r -> {
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.type()).isEqualTo("IncompleteSignatureException");
      assertThat(r.message()).isEqualTo("X-Amz-Date must be a date like 20261125T093000Z");
    });
  }

  @Test
  void anotherAccessKeyIsRefused() {
    assertThat(check(
            signed(AwsBasicCredentials.create("offhours", "offhours"), NOW, "us-east-1"), BODY))
        .hasValueSatisfying(r -> {
          assertThat(r.status()).isEqualTo(403);
          assertThat(r.type()).isEqualTo("UnrecognizedClientException");
          assertThat(r.message())
              .startsWith("The security token included in the request is invalid.");
        });
  }

  @Test
  void theStackKeyIdWithAnotherSecretIsRefused() {
    AwsBasicCredentials guessed = AwsBasicCredentials.create(STACK.accessKeyId(), "not the secret");

    assertThat(check(signed(guessed, NOW, "us-east-1"), BODY)).hasValueSatisfying(r -> {
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.type()).isEqualTo("InvalidSignatureException");
      assertThat(r.message())
          .startsWith("The request signature we calculated does not match the signature you"
              + " provided.");
    });
  }

  @Test
  void aBodyChangedAfterSigningIsRefused() {
    assertThat(
            check(signed(STACK, NOW, "us-east-1"), "other bytes".getBytes(StandardCharsets.UTF_8)))
        .hasValueSatisfying(r -> assertThat(r.type()).isEqualTo("InvalidSignatureException"));
  }

  @Test
  void aSignatureFromMoreThanFifteenMinutesAgoIsRefused() {
    Headers old = signed(STACK, NOW.minus(Duration.ofMinutes(16)), "us-east-1");

    assertThat(check(old, BODY)).hasValueSatisfying(r -> {
      assertThat(r.type()).isEqualTo("InvalidSignatureException");
      assertThat(r.message())
          .startsWith("Signature expired: 20261125T091400Z is not within 15 minutes of"
              + " 20261125T093000Z");
    });
  }

  @Test
  void aRequestLineThatNamesAHostIsRefusedWhateverItsHostHeaderSays() {
    Headers headers = signed(STACK, NOW, "us-east-1");

    assertThat(guard.checkAddress(URI.create(ENDPOINT.getRawPath()), headers)).isEmpty();
    for (URI target : List.of(
        URI.create("http://evil.example" + ENDPOINT.getRawPath()),
        URI.create("//evil.example" + ENDPOINT.getRawPath()),
        ENDPOINT)) {
      assertThat(guard.checkAddress(target, headers))
          .as(target.toString())
          .hasValueSatisfying(r -> {
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.type()).isEqualTo("AccessDeniedException");
            assertThat(r.message())
                .startsWith("the local SageMaker refuses this request: the request's target names a"
                    + " scheme or host ('")
                .endsWith("send the path alone ('" + ENDPOINT.getRawPath() + "')");
          });
    }
  }

  @Test
  void aBadPercentEscapeInTheQueryIsRefusedNotThrown() {
    Optional<Refusal> refusal = guard.check(new RequestGuard.ReceivedRequest(
        "POST", ENDPOINT.getRawPath(), "a=%zz", signed(STACK, NOW, "us-east-1"), BODY));

    assertThat(refusal).hasValueSatisfying(r -> {
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.type()).isEqualTo("MalformedQueryString");
      assertThat(r.message())
          .isEqualTo("the request's query has a bad % escape: '%' is followed by two hex digits");
    });
  }

  @Test
  void aSignatureForAnotherRegionIsRefused() {
    assertThat(check(signed(STACK, NOW, "eu-west-1"), BODY)).hasValueSatisfying(r -> {
      assertThat(r.type()).isEqualTo("InvalidSignatureException");
      assertThat(r.message()).contains("eu-west-1");
    });
  }

  @Test
  void generatedCredentialsDifferPerStackAndLookLikeAws() {
    AwsBasicCredentials other = StackCredentials.generate();

    assertThat(STACK.accessKeyId()).matches("AKIA[A-Z2-7]{16}");
    assertThat(STACK.secretAccessKey()).hasSize(40);
    assertThat(other.accessKeyId()).isNotEqualTo(STACK.accessKeyId());
    assertThat(other.secretAccessKey()).isNotEqualTo(STACK.secretAccessKey());
  }
}
