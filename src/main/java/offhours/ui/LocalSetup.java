package offhours.ui;

import java.net.URISyntaxException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLPeerUnverifiedException;
import offhours.aws.CredentialSources;
import offhours.units.Shown;

/**
 * A read of the page's that failed on this machine, before any request reached the stack, for want of a setting the
 * user can mend: no AWS credentials, a certificate this machine's Java does not trust, an endpoint URL the SDK cannot
 * send to. Told apart by the exceptions in the failure's causes (and, for the endpoint's, the SDK class that threw
 * them), not by their words; the page says what is missing and what to do, with the pill's "Setup error" rather than
 * "Unreachable", which is for a stack that was asked and did not answer. A failure of the network (refused, timed
 * out, no address for the host) is not one.
 */
final class LocalSetup {

  /** The SDK's class that builds an HTTP request and refuses a scheme other than http or https in it. */
  private static final String REQUEST_BUILDER =
      "software.amazon.awssdk.http.DefaultSdkHttpFullRequest";

  private LocalSetup() {}

  /** What the page says of {@code failure} when it is this machine's setup, or null when it is not. */
  static String in(Throwable failure) {
    CredentialSources.NoCredentials none = CredentialSources.noneIn(failure).orElse(null);
    if (none != null) {
      return "this machine has no AWS credentials for the page's reads (profile "
          + Shown.value(none.profile()) + "), so the stack was not asked: "
          + CredentialSources.help(Shown.value(none.profile()))
          + "; the page asks again every few seconds";
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CertificateException
          || t instanceof CertPathValidatorException
          || t instanceof CertPathBuilderException
          || t instanceof SSLPeerUnverifiedException) {
        return "this machine does not trust the certificate the stack's address showed, so no request"
            + " was sent: '" + Shown.value(String.valueOf(t.getMessage()))
            + "'. Behind a proxy that"
            + " inspects HTTPS, add its certificate authority to the trust store of the Java that runs"
            + " offhours; check too this machine's clock, and any endpoint URL set (AWS_ENDPOINT_URL)";
      }
      if (badEndpoint(t)) {
        return "the SDK could not make the page's request from this machine's settings, so the stack"
            + " was not asked: '" + Shown.value(String.valueOf(t.getMessage())) + "'; check the"
            + " endpoint URL, if one is set (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>, or"
            + " endpoint_url in the profile)";
      }
    }
    return null;
  }

  /**
   * Whether {@code t} is what the SDK (2.40.2) throws for an endpoint URL it cannot send to, set by
   * {@code AWS_ENDPOINT_URL} or an endpoint override, and nothing else: a URL that is no URI, a URISyntaxException the
   * SDK's code met (as the client is built; or, in a bare RuntimeException, as each request's endpoint is resolved:
   * {@code localhost:4566} without its scheme, a host with '_'); a scheme other than http or https, the
   * IllegalArgumentException thrown as the SDK builds the HTTP request ({@code ftp://x}). Told by the exception's type
   * and the SDK class that threw it, as an IllegalArgumentException alone says nothing: one the SDK throws reading an
   * answer (a bad base64 value, a number it cannot read) is the stack's answer, and said as one.
   */
  private static boolean badEndpoint(Throwable t) {
    if (t instanceof URISyntaxException) {
      return thrownIn(t, "software.amazon.awssdk.");
    }
    return t instanceof IllegalArgumentException && thrownIn(t, REQUEST_BUILDER);
  }

  /** Whether a class whose name starts with {@code name} is among the frames {@code t} was thrown through. */
  private static boolean thrownIn(Throwable t, String name) {
    for (StackTraceElement frame : t.getStackTrace()) {
      if (frame.getClassName().startsWith(name)) {
        return true;
      }
    }
    return false;
  }
}
