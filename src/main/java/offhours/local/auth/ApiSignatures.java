package offhours.local.auth;

import com.sun.net.httpserver.Headers;
import java.time.Clock;
import java.util.Optional;
import offhours.local.api.RequestTarget;
import offhours.local.api.SignatureCheck;
import offhours.units.Shown;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The local API front's signatures, checked as the local SageMaker's and Lambda's are ({@link RequestGuard}): made by
 * the local stack's credentials for {@code execute-api} in its region, within 15 minutes of the system clock, which
 * clients sign with, over the path and query as the front reads them ({@link RequestTarget}: raw UTF-8 as the text it
 * is) and the whole body.
 */
public final class ApiSignatures implements SignatureCheck {
  private final RequestGuard guard;

  public ApiSignatures(AwsCredentialsIdentity credentials, String region) {
    this.guard = new RequestGuard(
        credentials, region, SIGNING_NAME, "the local HTTP API", Clock.systemUTC());
  }

  @Override
  public Optional<Fault> checkHeaders(Headers headers) {
    return guard
        .checkSignatureHeaders(headers)
        .map(refusal -> new Fault(refusal.type(), refusal.message()));
  }

  @Override
  public Optional<Fault> check(String method, RequestTarget target, Headers headers, byte[] body) {
    return guard
        .checkSignature(
            new RequestGuard.ReceivedRequest(method, target.path(), target.query(), headers, body))
        .map(refusal -> new Fault(refusal.type(), refusal.message() + signed(refusal, target)));
  }

  /**
   * For a signature that does not match, the canonical path and query it was checked against, which a client's own
   * (curl's before 8.3 is the path and query as typed) can be compared with; the log shows them, never the answer.
   */
  private static String signed(RequestGuard.Refusal refusal, RequestTarget target) {
    if (!refusal.message().startsWith("The request signature we calculated does not match")) {
      return "";
    }
    try {
      return " The canonical path and query it was checked against: '"
          + Shown.value(SigV4Signature.canonicalPath(target.path())) + "', '"
          + Shown.value(SigV4Signature.canonicalQuery(target.query())) + "'.";
    } catch (IllegalArgumentException e) {
      return "";
    }
  }
}
