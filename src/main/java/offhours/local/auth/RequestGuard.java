package offhours.local.auth;

import com.sun.net.httpserver.Headers;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import offhours.local.api.Loopback;
import offhours.units.Shown;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Decides whether a request to a local service comes from the user who started the stack. A local port is open to
 * every process on the machine, and to web pages through DNS rebinding (a name that resolves to 127.0.0.1 sends its
 * own Host) or a browser's cross-origin request (it sends Origin). So every request must:
 * <ul>
 *   <li>carry no {@code Origin} header: SDKs and the AWS CLI never send one, browsers always do on cross-origin
 *       requests;
 *   <li>name the service's own loopback address and port as {@code Host}, and no host in its request line: a path
 *       alone ({@link Loopback#targetRefusal});
 *   <li>be signed with Signature Version 4 by the stack's own credentials, for this region and service, within 15
 *       minutes of now (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html).
 *       The signature is recomputed over the headers the client signed and the body ({@link SigV4Signature}).
 * </ul>
 * Refusals carry AWS's error codes for the same faults, with status 403 (400 for a malformed Authorization header).
 */
public final class RequestGuard {
  /** AWS accepts a signed request for 15 minutes either side of its own clock. */
  private static final Duration SKEW = Duration.ofMinutes(15);

  private static final Pattern AUTHORIZATION = Pattern.compile(
      "AWS4-HMAC-SHA256 Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request,\\s*"
          + "SignedHeaders=([a-z0-9;_.-]+),\\s*Signature=([0-9a-f]{64})");
  private static final DateTimeFormatter AMZ_DATE = SigV4Signature.AMZ_DATE;

  /** Why a request is refused, in AWS's terms. */
  public record Refusal(int status, String type, String message) {}

  /**
   * What the guard needs of a request: its line (its path and query as sent; whether it named a host there is for
   * {@link #checkAddress(URI, Headers)}), its headers (case-insensitive) and its whole body.
   */
  public record ReceivedRequest(
      String method, String rawPath, String rawQuery, Headers headers, byte[] body) {}

  private final AwsCredentialsIdentity credentials;
  private final String region;
  private final String service;
  private final String serviceTitle;
  private final Clock clock;
  private volatile String host;

  /**
   * @param service the signing name clients use, e.g. {@code sagemaker} or {@code lambda}
   * @param serviceTitle how messages name the service, e.g. "the local SageMaker"
   */
  public RequestGuard(
      AwsCredentialsIdentity credentials,
      String region,
      String service,
      String serviceTitle,
      Clock clock) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.region = Objects.requireNonNull(region, "region");
    this.service = Objects.requireNonNull(service, "service");
    this.serviceTitle = serviceTitle;
    this.clock = clock;
  }

  /** The only Host the service answers: its loopback address and port, set once the port is bound. */
  public void listeningOn(int port) {
    this.host = "127.0.0.1:" + port;
  }

  /**
   * Origin, Host and the signature. The request line's form (a path alone) is {@link #checkAddress(URI, Headers)}'s,
   * which {@link GuardFilter} asks first, before the body is read.
   */
  public Optional<Refusal> check(ReceivedRequest request) {
    Optional<Refusal> address = checkAddress(request.headers());
    if (address.isPresent()) {
      return address;
    }
    return checkSignature(request);
  }

  /**
   * The checks that need no body: a path alone in the request line ({@code target}, as the server parsed it), no
   * Origin, and this service's own Host.
   */
  public Optional<Refusal> checkAddress(URI target, Headers headers) {
    String targetRefusal = Loopback.targetRefusal(target);
    if (targetRefusal != null) {
      return refuse(
          403, "AccessDeniedException", serviceTitle + " refuses this request: " + targetRefusal);
    }
    return checkAddress(headers);
  }

  /** No Origin, and this service's own Host. */
  private Optional<Refusal> checkAddress(Headers headers) {
    String origin = headers.getFirst("Origin");
    if (origin != null) {
      return refuse(
          403,
          "AccessDeniedException",
          serviceTitle + " does not answer requests from web pages"
              + " (the request has an Origin header); use an AWS SDK or the AWS CLI");
    }
    String requestHost = Loopback.header(headers, "Host");
    if (host == null || !host.equals(requestHost)) {
      return refuse(
          403,
          "AccessDeniedException",
          serviceTitle + " answers only requests to " + host + "; this one is addressed to '"
              + Shown.value(requestHost) + "'");
    }
    return Optional.empty();
  }

  /**
   * What the headers alone decide of the signature, before the body is read: an Authorization header that is SigV4's,
   * the stack's access key id, this region and service in its scope, host and x-amz-date signed, and a date within 15
   * minutes of now that the scope's date matches. A request without an Authorization header, or with one that is no
   * SigV4 header, is refused so.
   */
  Optional<Refusal> checkSignatureHeaders(Headers headers) {
    String authorization = headers.getFirst("Authorization");
    if (authorization == null) {
      return refuse(
          403,
          "MissingAuthenticationTokenException",
          "Missing Authentication Token. " + serviceTitle
              + " accepts only requests signed with the local stack's credentials ('scripts/offhours local status'"
              + " prints them)");
    }
    Matcher m = AUTHORIZATION.matcher(authorization.strip());
    if (!m.matches()) {
      return refuse(
          400,
          "IncompleteSignatureException",
          "Authorization header is not an AWS Signature Version 4"
              + " header (AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...)");
    }
    if (!MessageDigest.isEqual(bytes(m.group(1)), bytes(credentials.accessKeyId()))) {
      return refuse(
          403,
          "UnrecognizedClientException",
          "The security token included in the request is invalid."
              + " Local detail: " + serviceTitle
              + " accepts only the local stack's access key id ('scripts/offhours"
              + " local status' prints it)");
    }
    if (!m.group(3).equals(region)) {
      return refuse(
          403,
          "InvalidSignatureException",
          "Credential should be scoped to a valid region, not '" + Shown.value(m.group(3))
              + "'; the local stack runs in " + region);
    }
    if (!m.group(4).equals(service)) {
      return refuse(
          403,
          "InvalidSignatureException",
          "Credential should be scoped to correct service: '" + service + "'.");
    }
    List<String> signedHeaders = List.of(m.group(5).split(";"));
    if (!signedHeaders.contains("host") || !signedHeaders.contains("x-amz-date")) {
      return refuse(
          403,
          "InvalidSignatureException",
          "The request must sign its host and x-amz-date headers.");
    }
    Instant signedAt;
    try {
      signedAt = Instant.from(AMZ_DATE.parse(String.valueOf(headers.getFirst("X-Amz-Date"))));
    } catch (DateTimeParseException e) {
      return refuse(
          400, "IncompleteSignatureException", "X-Amz-Date must be a date like 20261125T093000Z");
    }
    Instant now = clock.instant();
    if (signedAt.isBefore(now.minus(SKEW)) || signedAt.isAfter(now.plus(SKEW))) {
      return refuse(
          403,
          "InvalidSignatureException",
          "Signature expired: " + AMZ_DATE.format(signedAt) + " is not within 15 minutes of "
              + AMZ_DATE.format(now) + ".");
    }
    if (!m.group(2).equals(AMZ_DATE.format(signedAt).substring(0, 8))) {
      return refuse(
          403,
          "InvalidSignatureException",
          "Date in Credential scope does not match YYYYMMDD from" + " X-Amz-Date.");
    }
    return Optional.empty();
  }

  /**
   * The signature alone: made by the stack's credentials, for this region and service, within 15 minutes of now, over
   * this request. For a server that checks the request's address itself (the local API front, which also answers
   * {@code localhost}, {@link ApiSignatures}); what the headers decide is {@link #checkSignatureHeaders}'s.
   */
  Optional<Refusal> checkSignature(ReceivedRequest request) {
    Optional<Refusal> head = checkSignatureHeaders(request.headers());
    if (head.isPresent()) {
      return head;
    }
    // checkSignatureHeaders took both: the header is SigV4's and the date well-formed.
    Matcher m =
        AUTHORIZATION.matcher(request.headers().getFirst("Authorization").strip());
    if (!m.matches()) {
      throw new IllegalStateException("an Authorization header checked is no longer SigV4's");
    }
    List<String> signedHeaders = List.of(m.group(5).split(";"));
    Instant signedAt = Instant.from(AMZ_DATE.parse(request.headers().getFirst("X-Amz-Date")));
    String unsettled = SigV4Signature.unsettledPath(request.rawPath());
    if (unsettled != null) {
      return refuse(
          403,
          "InvalidSignatureException",
          "The request's signature cannot be checked: " + unsettled);
    }
    String expected;
    try {
      expected = SigV4Signature.compute(
          request.method(),
          request.rawPath(),
          request.rawQuery(),
          request.headers(),
          signedHeaders,
          request.body(),
          credentials.secretAccessKey(),
          signedAt,
          region,
          service);
    } catch (IllegalArgumentException e) {
      // URLDecoder's refusal of a bad % escape; unanswered, the server would drop the connection.
      // The error code is an assumption (AWS's Query APIs' code for a query they cannot parse).
      return refuse(
          400,
          "MalformedQueryString",
          "the request's query has a bad % escape: '%' is followed by two hex digits");
    }
    if (!MessageDigest.isEqual(bytes(expected), bytes(m.group(6)))) {
      return refuse(
          403,
          "InvalidSignatureException",
          "The request signature we calculated does not match the"
              + " signature you provided. Check your AWS Secret Access Key and signing method. Consult the service"
              + " documentation for details.");
    }
    return Optional.empty();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Optional<Refusal> refuse(int status, String type, String message) {
    return Optional.of(new Refusal(status, type, message));
  }
}
