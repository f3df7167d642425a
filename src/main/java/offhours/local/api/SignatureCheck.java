package offhours.local.api;

import com.sun.net.httpserver.Headers;
import java.util.Optional;

/**
 * Checks the Signature Version 4 of a request to the local front, made for {@link #SIGNING_NAME}; local mode's is
 * {@link offhours.local.auth.ApiSignatures}, the local stack's credentials checked by the guard of its other services.
 */
public interface SignatureCheck {

  /** The signing name of API Gateway's execute-api endpoints, which clients sign the deployed API's requests for. */
  String SIGNING_NAME = "execute-api";

  /** What is wrong with a signature: AWS's error type for it and the specific reason. */
  record Fault(String type, String reason) {}

  /**
   * Why the request's headers alone show it is not signed by the stack's credentials (none, no SigV4 header, another
   * access key, another region or service, a date too far from now), or empty: asked before its body is read.
   */
  Optional<Fault> checkHeaders(Headers headers);

  /** Why the request, its whole {@code body} read, is not signed by the stack's credentials, or empty. */
  Optional<Fault> check(String method, RequestTarget target, Headers headers, byte[] body);
}
