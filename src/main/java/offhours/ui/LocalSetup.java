package offhours.ui;

import java.net.URISyntaxException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLPeerUnverifiedException;
import offhours.aws.CredentialSources;
import offhours.units.Shown;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * A read of the page's that failed on this machine, before any request reached the stack, for want of a setting the
 * user can mend: no AWS credentials, a certificate this machine's Java does not trust, an endpoint URL the SDK cannot
 * send to. Told apart by the exceptions in the failure's causes, not by their words; the page says what is missing
 * and what to do, with the pill's "Setup error" rather than "Unreachable", which is for a stack that was asked and
 * did not answer. A failure of the network (refused, timed out, no address for the host) is not one.
 */
final class LocalSetup {

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
    boolean sdk = false;
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
      sdk |= t instanceof SdkClientException;
      // A number the SDK could not read is in an answer the stack sent (a NumberFormatException,
      // an IllegalArgumentException too): no setting of this machine's.
      if (sdk
          && (t instanceof URISyntaxException
              || (t instanceof IllegalArgumentException
                  && !(t instanceof NumberFormatException)))) {
        return "the SDK could not make the page's request from this machine's settings, so the stack"
            + " was not asked: '" + Shown.value(String.valueOf(t.getMessage())) + "'; check the"
            + " endpoint URL, if one is set (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>, or"
            + " endpoint_url in the profile)";
      }
    }
    return null;
  }
}
