package offhours.inference;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3's refusal of a request sent to the endpoint of a Region other than the bucket's. Every function's S3 client
 * speaks to the stack's Region only, and S3 answers a read of another Region's bucket there with 301
 * PermanentRedirect (307 TemporaryRedirect for a new bucket), 400 AuthorizationHeaderMalformed ("the region
 * 'us-east-1' is wrong; expecting 'eu-west-1'") or 400 IllegalLocationConstraintException (a bucket of an opt-in
 * Region), most of them naming the bucket's Region in the x-amz-bucket-region header
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html). The SDK's cross-Region access would follow
 * such an answer (a HeadBucket when the header is missing, then the call again at the other Region); offhours does
 * not: HeadBucket needs s3:ListBucket, which no role has, and the KMS grants hold through S3 of the stack's Region
 * only. A function's LABELS_S3_URI file is told apart by it.
 */
public final class WrongRegion {

  /** The header in which S3 names a bucket's Region. */
  private static final String BUCKET_REGION = "x-amz-bucket-region";

  /** A Region's name, e.g. eu-west-1, us-gov-west-1 or eusc-de-east-1: anything else S3 might say is not shown. */
  private static final Pattern REGION = Pattern.compile("[a-z]{2,4}(?:-[a-z]+)+-[0-9]{1,2}");

  /** AuthorizationHeaderMalformed's "the region 'us-east-1' is wrong; expecting 'eu-west-1'". */
  private static final Pattern EXPECTING = Pattern.compile("is wrong; expecting '([^']*)'");

  private WrongRegion() {}

  /**
   * The bucket's Region when {@code e} is S3's answer to a request sent to another Region's endpoint, "" when S3
   * does not say which; null for any other error.
   */
  public static String bucketRegion(S3Exception e) {
    AwsErrorDetails details = e.awsErrorDetails();
    String code = details == null ? null : details.errorCode();
    String header = details == null || details.sdkHttpResponse() == null
        ? null
        : details.sdkHttpResponse().firstMatchingHeader(BUCKET_REGION).orElse(null);
    boolean wrong = switch (e.statusCode()) {
      case 301, 307 -> true;
      case 400 ->
        "IllegalLocationConstraintException".equals(code)
            || "AuthorizationHeaderMalformed".equals(code)
                && (header != null || expected(details) != null);
      default -> false;
    };
    if (!wrong) {
      return null;
    }
    String named = header != null ? header : expected(details);
    return named != null && REGION.matcher(named).matches() ? named : "";
  }

  /** The Region AuthorizationHeaderMalformed's message expects, or null. */
  private static String expected(AwsErrorDetails details) {
    if (details == null || details.errorMessage() == null) {
      return null;
    }
    Matcher expecting = EXPECTING.matcher(details.errorMessage());
    return expecting.find() ? expecting.group(1) : null;
  }
}
