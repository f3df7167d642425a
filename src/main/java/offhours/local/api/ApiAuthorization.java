package offhours.local.api;

import com.sun.net.httpserver.Headers;
import offhours.units.Shown;

/**
 * Who may call the local front: a request signed with Signature Version 4 by the local stack's own credentials for the
 * signing name {@code execute-api} and the stack's region, as the deployed API's IAM authorization wants it signed by
 * a caller's ({@link SignatureCheck}: in local mode the guard of the local SageMaker and Lambda); or, the local
 * shortcut, a request with {@code Authorization: Bearer TOKEN}, the stack's random token.
 *
 * <p>A request with neither gets what API Gateway answers a request to an IAM-authorized route without a valid
 * signature: 403, its {@code x-amzn-ErrorType} header naming the fault and its body AWS's words for it, as AWS's
 * troubleshooting page lists them (https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden): no
 * signature, "Missing Authentication Token"; an access key AWS does not know, "The security token included in the
 * request is invalid."; a signature older than AWS allows, "Signature expired"; any other signature that does not
 * match, "The request signature we calculated does not match the signature you provided. ...". AWS says no more in the
 * body, so neither does the front: the specific reason (a wrong region, a changed path, the local detail of which key)
 * goes to the stack's log. A header that is no SigV4 header keeps the guard's message, which names what is wrong, as
 * AWS's IncompleteSignatureException does (its exact words are unverified).
 */
final class ApiAuthorization {

  private static final String MISMATCH = "The request signature we calculated does not match the"
      + " signature you provided. Check your AWS Secret Access Key and signing method. Consult the"
      + " service documentation for details.";

  private final String token;
  private final SignatureCheck signatures;

  ApiAuthorization(String token, SignatureCheck signatures) {
    this.token = token;
    this.signatures = signatures;
  }

  /** Whether the request claims a SigV4 signature, which can be checked only once its body is read. */
  static boolean signed(Headers headers) {
    String authorization = headers.getFirst("Authorization");
    return authorization != null && authorization.strip().startsWith("AWS4-HMAC-SHA256");
  }

  /**
   * What the headers alone decide: a Bearer token, right (null) or wrong (401, the local shortcut's own answer), or a
   * signature whose headers show it is not the stack's, or no signature at all (403), each refused before a byte of
   * the body is read; null for a signed request whose signature can be the stack's, decided by {@link #afterBody} once
   * the body is read.
   */
  Refused beforeBody(String method, RequestTarget target, Headers headers) {
    String authorization = headers.getFirst("Authorization");
    String given = bearerToken(authorization);
    if (given != null) {
      return Loopback.sameToken(given, token)
          ? null
          : new Refused(
              401,
              (given.isEmpty()
                      ? "'Authorization: Bearer' came without a token (is the variable that should hold it"
                          + " empty?): "
                      : "")
                  + "send 'Authorization: Bearer TOKEN' with the token of this local stack (the file"
                  + " local/api-token under offhours' cache directory; 'scripts/offhours local status'"
                  + " prints the command)",
              false);
    }
    return signatures
        .checkHeaders(headers)
        .map(fault -> asApiGateway(fault, method, target))
        .orElse(null);
  }

  /**
   * The token of an {@code Authorization} header in the Bearer scheme, "" when it names the scheme alone (as curl sends
   * {@code -H "Authorization: Bearer $TOKEN"} with an empty variable), null for any other header or none. An HTTP
   * authentication scheme is case-insensitive (RFC 9110, section 11.1), so {@code bearer} is Bearer too: either way
   * the request is the shortcut's, answered 401 when the token is not the stack's, never a 403 about a SigV4 header
   * it never meant to send.
   */
  static String bearerToken(String authorization) {
    if (authorization == null) {
      return null;
    }
    String value = authorization.strip();
    String scheme = value.split("[ \t]", 2)[0];
    return scheme.equalsIgnoreCase("Bearer") ? value.substring(scheme.length()).strip() : null;
  }

  /** The signature of a request that claims one, over its whole {@code body}: null when it is the stack's. */
  Refused afterBody(String method, RequestTarget target, Headers headers, byte[] body) {
    return signatures
        .check(method, target, headers, body)
        .map(fault -> asApiGateway(fault, method, target))
        .orElse(null);
  }

  /** API Gateway's 403 for {@code fault}, whose specific reason goes to the stack's log. */
  private static Refused asApiGateway(
      SignatureCheck.Fault fault, String method, RequestTarget target) {
    String type;
    String message;
    switch (fault.type()) {
      case "MissingAuthenticationTokenException" -> {
        type = fault.type();
        message = "Missing Authentication Token";
      }
      case "UnrecognizedClientException" -> {
        type = "AccessDeniedException";
        message = "The security token included in the request is invalid.";
      }
      case "IncompleteSignatureException" -> {
        type = fault.type();
        message = fault.reason();
      }
      default -> {
        type = "InvalidSignatureException";
        message = fault.reason().startsWith("Signature expired") ? "Signature expired" : MISMATCH;
      }
    }
    System.err.println("offhours local API: " + method + " " + Shown.value(target.path())
        + " refused 403 " + type + ": " + fault.reason()
        + " (sign with the local stack's credentials for '" + SignatureCheck.SIGNING_NAME
        + "', or send 'Authorization: Bearer TOKEN'; 'scripts/offhours local status' prints both)");
    return new Refused(403, message, false, type);
  }
}
