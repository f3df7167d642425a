package offhours.inference;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3's refusal of an object encrypted with a KMS key (SSE-KMS) the caller may not use. S3 decrypts such an object
 * with the caller's kms:Decrypt, and passes KMS's refusal on as 403 AccessDenied whose message says so: "... is not
 * authorized to perform: kms:Decrypt on resource: arn:aws:kms:...", or KMS's older "The ciphertext refers to a customer
 * master key that does not exist, does not exist in this region, or you are not allowed to access"
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html). A denial of s3:GetObject
 * itself does not name kms:Decrypt. Classify's uploads and every function's LABELS_S3_URI file are told apart by it.
 */
public final class KmsDenial {

  /** A KMS key's (or alias's) ARN in an error message. */
  private static final Pattern KMS_KEY_ARN =
      Pattern.compile("arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(?:key|alias)/[A-Za-z0-9/_-]+");

  private KmsDenial() {}

  /** The KMS key named by an AccessDenied that KMS, not S3, decided, or "" when the message names none; null else. */
  public static String key(S3Exception e) {
    if (e.statusCode() != 403
        || e.awsErrorDetails() == null
        || !"AccessDenied".equals(e.awsErrorDetails().errorCode())
        || e.awsErrorDetails().errorMessage() == null) {
      return null;
    }
    String message = e.awsErrorDetails().errorMessage();
    String lower = message.toLowerCase(Locale.ROOT);
    if (!lower.contains("kms:decrypt") && !lower.contains("customer master key")) {
      return null;
    }
    Matcher arn = KMS_KEY_ARN.matcher(message);
    return arn.find() ? arn.group() : "";
  }

  /** "the KMS key ARN", or "a KMS key" for {@link #key}'s "". */
  public static String named(String key) {
    return key.isEmpty() ? "a KMS key" : "the KMS key " + key;
  }
}
