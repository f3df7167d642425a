package offhours.inference;

import java.util.regex.Pattern;

/**
 * A model container's own message (a ModelError's OriginalMessage), made fit for a reason that users read: a result's
 * verdict, a deferral's reason (what {@code dlq} shows), POST /classify's answer, the controller's recorded outcome.
 * It is the model's text and useful to its owner, so it is kept, but as one line of at most {@value #SHOWN} characters,
 * and without an AWS account id or an ARN: a container may echo what SageMaker or another AWS service told it (an
 * AccessDenied naming its role, a bucket's ARN), and what SageMaker itself says about its own timeout is carried in
 * the same field.
 */
final class ContainerText {

  /** The characters of the message a reason shows; the rest is in the endpoint's CloudWatch log. */
  static final int SHOWN = 300;

  /**
   * An ARN of any partition (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html): up to the first
   * character that cannot be in one as a message quotes it (blank, quote, bracket, comma, semicolon, the backslash of a
   * JSON string's escaped quote).
   */
  private static final Pattern ARN =
      Pattern.compile("\\barn:aws[a-z-]*:[^\\s\"'`<>()\\[\\]{},;\\\\]*", Pattern.CASE_INSENSITIVE);

  /** An AWS account id: twelve digits that are not part of a longer number. */
  private static final Pattern ACCOUNT_ID = Pattern.compile("(?<!\\d)\\d{12}(?!\\d)");

  private static final Pattern BLANKS = Pattern.compile("\\s+");

  private ContainerText() {}

  /**
   * {@code text} as a reason shows it: ARNs and account ids replaced by what they were, blanks (line breaks included)
   * as one space, other control characters escaped, cut to {@value #SHOWN} characters with "..."; null when the
   * container said nothing.
   */
  static String shown(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String plain =
        ACCOUNT_ID.matcher(ARN.matcher(text).replaceAll("(an ARN)")).replaceAll("(an account id)");
    String line = BLANKS.matcher(plain).replaceAll(" ").strip();
    return line.codePointCount(0, line.length()) > SHOWN
        ? ResponseShapes.oneLine(line.substring(0, line.offsetByCodePoints(0, SHOWN))) + "..."
        : ResponseShapes.oneLine(line);
  }
}
