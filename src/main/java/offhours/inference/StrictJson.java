package offhours.inference;

import java.io.UncheckedIOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import offhours.units.Shown;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;
import software.amazon.awssdk.thirdparty.jackson.core.JsonFactory;
import software.amazon.awssdk.thirdparty.jackson.core.JsonLocation;
import software.amazon.awssdk.thirdparty.jackson.core.JsonProcessingException;

/**
 * Strict JSON on the SDK's own json-utils, which every SDK client already ships: Jackson databind would push the
 * Classify zip over its 12 MB budget (see src/assembly/classify.xml). Model responses, S3 notifications and
 * Lambda's SQS events are read with it.
 */
public final class StrictJson {

  /**
   * RFC 8259 JSON and nothing more. json-utils' default factory also accepts Java comments, which no
   * S3 notification or model response contains; a plain factory rejects them, as Jackson databind did.
   */
  private static final JsonNodeParser PARSER =
      JsonNode.parserBuilder().jsonFactory(JsonFactory.builder().build()).build();

  private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");

  /** Jackson's message for NaN or Infinity, which it reads only with a feature that JSON itself does not have. */
  private static final Pattern NON_NUMERIC =
      Pattern.compile("Non-standard token '([+-]?(?:NaN|INF|Infinity))'(?::.*)?", Pattern.DOTALL);

  /** Jackson's advice at the end of a message: ": enable `JsonReadFeature.X` to allow" (or "to accept"). */
  private static final Pattern PARSER_ADVICE =
      Pattern.compile(":? *\\(?enable `?[A-Za-z.]*Feature\\.[A-Z_]+`?[^)]*\\)?\\s*$");

  private StrictJson() {}

  /** Input that is not JSON: the message is the parser's, its position is {@link #where()}. */
  public static final class NotJson extends Exception {
    private final String where;

    private NotJson(String message, String where) {
      super(message);
      this.where = where;
    }

    /** "line L, column C" of the first error, or null when the parser did not say. */
    public String where() {
      return where;
    }
  }

  /** The JSON value in {@code text}, or null when {@code text} is empty or only whitespace. */
  public static JsonNode parse(String text) throws NotJson {
    try {
      return PARSER.parse(text);
    } catch (UncheckedIOException | IllegalArgumentException e) {
      throw notJson(e);
    }
  }

  /** The JSON value in the UTF-8 (or UTF-16/32, detected) {@code bytes}, or null when they hold no value. */
  public static JsonNode parse(byte[] bytes) throws NotJson {
    try {
      return PARSER.parse(bytes);
    } catch (UncheckedIOException | IllegalArgumentException e) {
      throw notJson(e);
    }
  }

  /**
   * The parser's message quotes the input it stopped at (an unrecognized token's start, at most 256 characters, with
   * any control character in it): escaped as {@link Shown#escaped} escapes it, since whoever wrote the input chose it.
   */
  private static NotJson notJson(RuntimeException e) {
    if (e.getCause() instanceof JsonProcessingException j) {
      JsonLocation at = j.getLocation();
      return new NotJson(
          Shown.escaped(withoutParserAdvice(j.getOriginalMessage())),
          at == null ? null : "line " + at.getLineNr() + ", column " + at.getColumnNr());
    }
    return new NotJson(
        Shown.escaped(
            String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage())),
        null);
  }

  /**
   * The parser's message without its advice to enable one of its own features ("Non-standard token 'NaN': enable
   * `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow"), which means nothing to whoever wrote the JSON. NaN and
   * Infinity, which Python's json.dumps writes for such floats unless told otherwise, are said for what they are.
   */
  static String withoutParserAdvice(String message) {
    Matcher m = NON_NUMERIC.matcher(message);
    if (m.matches()) {
      return "'" + m.group(1)
          + "' is not a JSON number (JSON has no NaN or Infinity; Python's json.dumps"
          + " writes them unless allow_nan=False)";
    }
    return PARSER_ADVICE.matcher(message).replaceFirst("");
  }

  /** The value at {@code path} below {@code node}, or null when a step is missing or not an object. */
  public static JsonNode at(JsonNode node, String... path) {
    for (String field : path) {
      if (node == null || !node.isObject()) {
        return null;
      }
      node = node.asObject().get(field);
    }
    return node;
  }

  /** A string as it is, a number or boolean as its JSON text; null for null, absent, arrays and objects. */
  public static String text(JsonNode node) {
    return node == null ? null : node.text();
  }

  /**
   * A JSON integer that fits a long (S3 object sizes reach 5 TB), else null: fractions, exponents and
   * integers beyond the long range are not sizes.
   */
  public static Long integer(JsonNode node) {
    if (node == null || !node.isNumber() || !INTEGER.matcher(node.asNumber()).matches()) {
      return null;
    }
    try {
      return Long.parseLong(node.asNumber());
    } catch (NumberFormatException outOfRange) {
      return null;
    }
  }
}
