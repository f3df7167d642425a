package offhours.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import offhours.units.Shown;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;
import software.amazon.awssdk.thirdparty.jackson.core.JsonFactory;

/**
 * JSON on the SDK's own json-utils (no Jackson databind in the API's package). Values are plain Java: {@link Map}
 * (objects, in the map's order), {@link Iterable} (arrays), strings, numbers, booleans, null, and {@link Instant} or
 * {@link LocalDate} (written as ISO-8601 strings).
 *
 * <p>The text is safe to hand to a browser: {@code <}, {@code >} and {@code &} are written as {@code \u003c},
 * {@code \u003e} and {@code \u0026}, and U+2028/U+2029 escaped, so an object key such as
 * {@code <img src=x onerror=alert(1)>.png} can never form markup, even in a response a browser mis-sniffs. These
 * characters only occur inside JSON strings, where the escapes mean the same characters.
 */
public final class JsonText {

  /** RFC 8259 JSON only: json-utils' default factory also accepts comments. */
  private static final JsonNodeParser PARSER =
      JsonNode.parserBuilder().jsonFactory(JsonFactory.builder().build()).build();

  private JsonText() {}

  /** The JSON text of {@code value}. */
  public static String write(Object value) {
    JsonWriter out = JsonWriter.create();
    write(out, value);
    String text = new String(out.getBytes(), StandardCharsets.UTF_8);
    StringBuilder safe = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> safe.append("\\u003c");
        case '>' -> safe.append("\\u003e");
        case '&' -> safe.append("\\u0026");
        case '\u2028' -> safe.append("\\u2028");
        case '\u2029' -> safe.append("\\u2029");
        default -> safe.append(c);
      }
    }
    return safe.toString();
  }

  /**
   * Parses {@code bytes}; null when they hold no value. Malformed JSON throws {@link IllegalArgumentException}, whose
   * message is the parser's (on two lines, the second where it stopped), with the control characters it quotes from the
   * input (an unrecognized token's, at most 256 characters) escaped.
   */
  public static JsonNode parse(byte[] bytes) {
    try {
      return PARSER.parse(bytes);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "not JSON: "
              + Shown.escapedLines(
                  e.getCause() != null ? e.getCause().getMessage() : e.getMessage()),
          e);
    }
  }

  /** The string at {@code field} of an object node, or null when absent, null or not a string. */
  public static String string(JsonNode node, String field) {
    JsonNode value = node == null || !node.isObject() ? null : node.asObject().get(field);
    return value != null && value.isString() ? value.asString() : null;
  }

  private static void write(JsonWriter out, Object value) {
    switch (value) {
      case null -> out.writeNull();
      case String s -> out.writeValue(s);
      case Boolean b -> out.writeValue(b);
      case Integer i -> out.writeValue(i);
      case Long l -> out.writeValue(l);
      case Double d when d.isNaN() || d.isInfinite() -> out.writeNull();
      case Number n -> out.writeNumber(n.toString());
      case Instant t -> out.writeValue(t.toString());
      case LocalDate d -> out.writeValue(d.toString());
      case Map<?, ?> map -> {
        out.writeStartObject();
        for (Map.Entry<?, ?> e : map.entrySet()) {
          out.writeFieldName(String.valueOf(e.getKey()));
          write(out, e.getValue());
        }
        out.writeEndObject();
      }
      case Iterable<?> items -> {
        out.writeStartArray();
        for (Object item : items) {
          write(out, item);
        }
        out.writeEndArray();
      }
      default ->
        throw new IllegalArgumentException(
            "no JSON form for " + value.getClass().getName());
    }
  }
}
