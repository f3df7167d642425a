package offhours.local.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The members of the control plane's AWS JSON 1.1 requests, read and checked the way SageMaker's service model checks
 * them, with its "1 validation error detected" messages, for every operation ({@link ControlApi} and
 * {@link ComponentApi}); and the one member type answers share, the timestamp.
 */
final class Members {
  // SageMaker's name constraint for models, endpoint configs, endpoints and inference components
  // (API reference,
  // e.g. https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpoint.html).
  private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");

  private Members() {}

  /** AWS JSON 1.1 timestamps are epoch seconds; BigDecimal keeps Jackson from writing an exponent. */
  static BigDecimal epochSeconds(Instant instant) {
    return BigDecimal.valueOf(instant.toEpochMilli(), 3);
  }

  static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  static String required(JsonNode node, String field) {
    String value = text(node, field);
    if (value == null) {
      throw AwsError.validation(
          "1 validation error detected: Value null at '" + Character.toLowerCase(field.charAt(0))
              + field.substring(1) + "' failed to satisfy constraint: Member must not be null");
    }
    return value;
  }

  /** A name for a new resource, checked against SageMaker's pattern with the service's validation message. */
  static String name(JsonNode in, String field, String member) {
    String value = required(in, field);
    if (!NAME.matcher(value).matches()) {
      throw AwsError.validation("1 validation error detected: Value '" + value + "' at '" + member
          + "' failed to" + " satisfy constraint: Member must satisfy regular expression pattern: "
          + NAME.pattern());
    }
    return value;
  }

  /** Where a List operation's page starts: its NextToken (the index the previous page ended at), else 0. */
  static int pageStart(JsonNode in) {
    String token = text(in, "NextToken");
    if (token == null) {
      return 0;
    }
    try {
      return Integer.parseInt(token);
    } catch (NumberFormatException e) {
      throw AwsError.validation(
          "Invalid pagination token \"" + token + "\"; pass the NextToken of the previous page.");
    }
  }

  /**
   * CreateEndpoint's Tags, checked as SageMaker does: keys of 1 to 128 characters, values of at most 256, no key in
   * the reserved "aws:" prefix, at most 50 tags.
   */
  static Map<String, String> tags(JsonNode in) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (JsonNode tag : in.path("Tags")) {
      String key = required(tag, "Key");
      String value = tag.path("Value").asText("");
      if (key.isEmpty() || key.length() > 128 || value.length() > 256) {
        throw AwsError.validation(
            "1 validation error detected: Value '" + key + "' at 'tags.member.key' failed to"
                + " satisfy constraint: Member must have length between 1 and 128 (values at most 256)");
      }
      if (key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
        throw AwsError.validation("System prefix 'aws:' reserved for AWS usage in tag key: " + key);
      }
      tags.put(key, value);
    }
    if (tags.size() > 50) {
      throw AwsError.validation(
          "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member"
              + " must have length less than or equal to 50");
    }
    return tags;
  }
}
