package offhours.local.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import offhours.units.Shown;
import offhours.units.WholeNumbers;

/**
 * The members of the control plane's AWS JSON 1.1 requests, read and checked the way SageMaker's service model checks
 * them, with its "1 validation error detected" messages, for every operation ({@link ControlApi} and
 * {@link ComponentApi}); and the one member type answers share, the timestamp.
 */
final class Members {
  // SageMaker's name constraint for models, endpoint configs, endpoints and inference components
  // (API reference, e.g.
  // https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpoint.html).
  private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");

  private Members() {}

  /** AWS JSON 1.1 timestamps are epoch seconds; BigDecimal keeps Jackson from writing an exponent. */
  static BigDecimal epochSeconds(Instant instant) {
    return BigDecimal.valueOf(instant.toEpochMilli(), 3);
  }

  /**
   * A string member, or null when absent. A value of another JSON type is refused (SerializationException): read as
   * text, a number would name another resource and a list or an object would name none ("").
   */
  static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw AwsError.serialization(field + " must be a string, got " + shown(value));
    }
    return value.textValue();
  }

  /**
   * An integer member, or {@code absent} when the request leaves it out. Another JSON type, or a number that is no
   * whole int (2.5, 1e999, 99999999999), is refused (SerializationException) rather than read as 0, 1 or
   * Integer.MAX_VALUE, as Jackson's lenient reading would.
   */
  static int integer(JsonNode node, String field, int absent) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return absent;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw AwsError.serialization(field + " must be a whole number from " + Integer.MIN_VALUE
          + " to " + Integer.MAX_VALUE + ", got " + shown(value));
    }
    return value.intValue();
  }

  /** A number member (a float or a double), finite, or {@code absent} when the request leaves it out. */
  static double number(JsonNode node, String field, double absent) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return absent;
    }
    if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
      throw AwsError.serialization(field + " must be a finite number, got " + shown(value));
    }
    return value.doubleValue();
  }

  /** {@code value}, checked against a member's minimum with the service's validation message. */
  static int atLeast(int value, int min, String member) {
    if (value < min) {
      throw AwsError.validation("1 validation error detected: Value '" + value + "' at '" + member
          + "' failed to satisfy constraint: Member must have value greater than or equal to "
          + min);
    }
    return value;
  }

  /** A map of strings (a model's Environment), empty when absent; any other shape is refused. */
  static Map<String, String> strings(JsonNode node, String field) {
    JsonNode value = node.get(field);
    Map<String, String> map = new LinkedHashMap<>();
    if (value == null || value.isNull()) {
      return map;
    }
    if (!value.isObject()) {
      throw AwsError.serialization(
          field + " must be an object of strings (a map), got " + shown(value));
    }
    value.properties().forEach(e -> {
      if (!e.getValue().isTextual()) {
        throw AwsError.serialization(field + "." + Shown.value(e.getKey())
            + " must be a string, got " + shown(e.getValue()));
      }
      map.put(e.getKey(), e.getValue().textValue());
    });
    return map;
  }

  /** A List operation's page size: MaxResults, 1 to 100 as SageMaker's List operations take it, else 10. */
  static int maxResults(JsonNode in) {
    int max = atLeast(integer(in, "MaxResults", 10), 1, "maxResults");
    if (max > 100) {
      throw AwsError.validation("1 validation error detected: Value '" + max + "' at 'maxResults'"
          + " failed to satisfy constraint: Member must have value less than or equal to 100");
    }
    return max;
  }

  /** The end of a page of {@code size} items that starts at {@code start}, {@code max} long, without overflow. */
  static int pageEnd(int size, int start, int max) {
    return (int) Math.min(size, (long) start + max);
  }

  /** A value as a message shows it: its JSON, escaped and cut as offhours quotes any value ({@link Shown#value}). */
  private static String shown(JsonNode value) {
    return Shown.value(value.toString());
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
      throw AwsError.validation("1 validation error detected: Value '" + Shown.value(value)
          + "' at '" + member + "' failed to satisfy constraint: Member must satisfy regular"
          + " expression pattern: " + NAME.pattern());
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
      long start = WholeNumbers.parse(token);
      if (start <= Integer.MAX_VALUE) {
        return (int) start;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw AwsError.validation("Invalid pagination token \"" + Shown.value(token)
        + "\"; pass the NextToken of the previous page.");
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
            "1 validation error detected: Value '" + Shown.value(key)
                + "' at 'tags.member.key' failed to"
                + " satisfy constraint: Member must have length between 1 and 128 (values at most 256)");
      }
      if (key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
        throw AwsError.validation(
            "System prefix 'aws:' reserved for AWS usage in tag key: " + Shown.value(key));
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
