package offhours.testing;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;

/** Signs a hand-made request with SigV4 the way the SDK's clients do, for tests that speak HTTP directly. */
public final class SigV4 {
  private SigV4() {}

  /** The headers the signer adds (Authorization, X-Amz-Date, x-amz-content-sha256), signed at {@code clock}'s instant. */
  public static Map<String, String> headers(
      String method,
      URI uri,
      Map<String, String> headers,
      byte[] body,
      AwsBasicCredentials credentials,
      String region,
      String service,
      Clock clock) {
    SdkHttpRequest.Builder request =
        SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
    headers.forEach(request::putHeader);
    SdkHttpRequest signed = AwsV4HttpSigner.create()
        .sign(r -> r.identity(credentials)
            .request(request.build())
            .payload(() -> new ByteArrayInputStream(body))
            .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
            .putProperty(AwsV4HttpSigner.REGION_NAME, region)
            .putProperty(HttpSigner.SIGNING_CLOCK, clock))
        .request();
    Map<String, String> added = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    signed.forEachHeader((name, values) -> {
      if (!headers.containsKey(name) && !name.equalsIgnoreCase("Host")) {
        added.put(name, values.getFirst());
      }
    });
    return added;
  }

  /** A POST with {@code headers} and {@code body}, signed now. */
  public static HttpRequest post(
      URI uri,
      Map<String, String> headers,
      String body,
      AwsBasicCredentials credentials,
      String region,
      String service) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
    headers.forEach(request::header);
    headers("POST", uri, headers, bytes, credentials, region, service, Clock.systemUTC())
        .forEach(request::header);
    return request.build();
  }
}
