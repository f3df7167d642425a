package offhours.aws;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Doubles as DynamoDB numbers. DynamoDB refuses, with a ValidationException, a number whose magnitude is below 1E-130
 * or above 9.9999999999999999999999999999999999999E+125, or that has more than 38 significant digits
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html, Number). A
 * double has at most 17 significant digits, but its range is far wider: a softmax over logits far apart gives
 * probabilities such as 3e-140, which a write must not carry as they are.
 */
public final class DynamoNumbers {

  /** The smallest magnitude DynamoDB stores; anything smaller is written as 0. */
  private static final double SMALLEST = 1e-130;
  /** Magnitudes from here up are refused (DynamoDB's largest is 9.99...E+125, 38 nines). */
  private static final double TOO_LARGE = 1e126;

  private DynamoNumbers() {}

  /**
   * {@code value} as a DynamoDB number: a magnitude below {@link #SMALLEST} becomes 0 (negative zero too), as DynamoDB
   * cannot hold it and it is 0 for every reader; NaN, infinities and magnitudes from {@link #TOO_LARGE} up are refused.
   *
   * @param what names the value in the error, e.g. "the score of 'cat'"
   */
  public static AttributeValue of(double value, String what) {
    return AttributeValue.fromN(text(value, what));
  }

  /** The text {@link #of} writes. */
  public static String text(double value, String what) {
    if (!Double.isFinite(value) || Math.abs(value) >= TOO_LARGE) {
      throw new IllegalArgumentException(what + " is " + value
          + ", which DynamoDB cannot store as a number (finite, magnitude below 1E+126)");
    }
    return Math.abs(value) < SMALLEST ? "0" : Double.toString(value);
  }
}
