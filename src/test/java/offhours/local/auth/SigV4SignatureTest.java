package offhours.local.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;

/** The server's SigV4 computation agrees with both clients offhours supports: the AWS CLI and the SDK. */
class SigV4SignatureTest {
  private static final Pattern SIGNED =
      Pattern.compile(".*SignedHeaders=([^,]+), Signature=([0-9a-f]{64})");

  @Test
  void reproducesTheSignatureTheAwsCliSent() {
    // Captured from aws-cli/1.45.11 botocore/1.43.11 (aws --debug sagemaker list-endpoints), secret
    // "abc".
    Headers headers = new Headers();
    headers.add("Host", "127.0.0.1:45999");
    headers.add("Content-Type", "application/x-amz-json-1.1");
    headers.add("X-Amz-Date", "20261202T071703Z");
    headers.add("X-Amz-Target", "SageMaker.ListEndpoints");
    headers.add("User-Agent", "aws-cli/1.45.11 (not signed)");

    String signature = SigV4Signature.compute(
        "POST",
        "/",
        null,
        headers,
        List.of("content-type", "host", "x-amz-date", "x-amz-target"),
        "{}".getBytes(StandardCharsets.UTF_8),
        "abc",
        Instant.parse("2026-12-02T07:17:03Z"),
        "us-east-1",
        "sagemaker");

    assertThat(signature)
        .isEqualTo("cb8110b1cb78f26825088521930acd1422dbf047ecd7b70f3dba6129f514ac4d");
  }

  @Test
  void reproducesTheSdkSignerOnAnEncodedPathAndQuery() {
    URI uri = URI.create("http://127.0.0.1:41234/2015-03-31/functions/"
        + "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aoffhours-controller/invocations"
        + "?Qualifier=a%20b&Empty=&Z=%2B");
    Instant now = Instant.parse("2026-11-25T09:30:00Z");
    byte[] body = "{\"action\":\"start\"}".getBytes(StandardCharsets.UTF_8);
    SdkHttpRequest signed = AwsV4HttpSigner.create()
        .sign(r -> r.identity(AwsBasicCredentials.create("AKIAEXAMPLE", "secret"))
            .request(SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(uri)
                .putHeader("Content-Type", "application/json")
                .build())
            .payload(() -> new ByteArrayInputStream(body))
            .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "lambda")
            .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
            .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(now, ZoneOffset.UTC)))
        .request();
    Headers received = new Headers();
    signed.forEachHeader((name, values) -> values.forEach(v -> received.add(name, v)));
    received.set("Host", "127.0.0.1:41234"); // as the server sees it, once
    Matcher m = SIGNED.matcher(signed.firstMatchingHeader("Authorization").orElseThrow());
    assertThat(m.matches()).isTrue();

    String signature = SigV4Signature.compute(
        "POST",
        uri.getRawPath(),
        uri.getRawQuery(),
        received,
        List.of(m.group(1).split(";")),
        body,
        "secret",
        now,
        "us-east-1",
        "lambda");

    assertThat(signature).isEqualTo(m.group(2));
  }

  /**
   * The canonical path of AWS's SigV4 test suite's normalize-path cases (each as its request sends it, and the path of
   * its canonical request).
   */
  @Test
  void normalizesThePathAsAwsSigV4TestSuiteDoes() {
    Map<String, String> suite = new LinkedHashMap<>();
    suite.put("/example/..", "/");
    suite.put("/example1/example2/../..", "/");
    suite.put("//", "/");
    suite.put("/./", "/");
    suite.put("/./example", "/example");
    suite.put("//example//", "/example/");
    suite.forEach((sent, canonical) ->
        assertThat(SigV4Signature.canonicalPath(sent)).as(sent).isEqualTo(canonical));
    // The suite's get-space sends a raw space, which the JDK's server refuses: sent as %20, it is
    // encoded once more.
    assertThat(SigV4Signature.canonicalPath("/example%20space/")).isEqualTo("/example%2520space/");
    assertThat(SigV4Signature.unsettledPath("/example/..")).isNull();
    assertThat(SigV4Signature.unsettledPath("/a/b/..")).contains("RFC 3986");
    assertThat(SigV4Signature.unsettledPath("/a/b/.")).contains("RFC 3986");
  }

  /**
   * A '+' in a query is the plus it is, %2B, sorted after encoding; a space sent as %20 stays %20.
   */
  @Test
  void readsAPlusInTheQueryAsAPlus() {
    assertThat(SigV4Signature.canonicalQuery("b=c+d&a=%20")).isEqualTo("a=%20&b=c%2Bd");
  }
}
