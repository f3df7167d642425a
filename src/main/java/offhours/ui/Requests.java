package offhours.ui;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import offhours.api.ResultsQuery;
import offhours.api.UrlDecoding;
import offhours.stack.StackSpec;
import offhours.units.Plurals;
import offhours.units.Shown;
import offhours.units.WholeNumbers;

/** The page's request parameters, checked; a bad one is an IllegalArgumentException that says what is expected. */
final class Requests {

  private Requests() {}

  /**
   * The query's parameters, decoded as forms encode them; a bad % escape, or escapes that are not UTF-8, are refused
   * with what is wrong, never guessed at: a guess would name another key. So is a name given twice: which of
   * {@code ?key=a.png&key=b.gif} names the upload is a guess too, and the page never sends one.
   */
  static Map<String, String> query(String raw) {
    Map<String, String> params = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = UrlDecoding.form(eq < 0 ? pair : pair.substring(0, eq), "a query name");
      String value = eq < 0 ? "" : UrlDecoding.form(pair.substring(eq + 1), "the query's " + name);
      if (params.putIfAbsent(name, value) != null) {
        throw new IllegalArgumentException(
            "the query names '" + Shown.value(name) + "' more than once; give each parameter once");
      }
    }
    return params;
  }

  /**
   * Refuses a parameter {@code route} does not take (it takes {@code names}), quoted as the other refusals quote a
   * name: ignored, a misspelt one would change the answer without a word ({@code ?lable=cat} lists every result).
   */
  static void takes(Map<String, String> query, String route, String... names) {
    List<String> taken = List.of(names);
    for (String name : query.keySet()) {
      if (!taken.contains(name)) {
        throw new IllegalArgumentException("the query names '" + Shown.value(name) + "', which "
            + route + " does not take; it takes "
            + (taken.isEmpty() ? "no parameters" : Plurals.all(taken)));
      }
    }
  }

  /**
   * An existing object's key, as data: 1 to 1,024 bytes of UTF-8, anything S3 accepts (a tab or an escape too), since
   * keys name what others uploaded. It goes to S3 as the SDK's request field and back only in JSON, which escapes it.
   */
  static String key(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("name the object with key=...");
    }
    if (key.getBytes(StandardCharsets.UTF_8).length > StackSpec.MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          "an object key is at most " + StackSpec.MAX_KEY_BYTES + " bytes");
    }
    return key;
  }

  /**
   * A key for a new upload: as {@link #key}, without control characters, which a file's name on the page never has
   * and S3 advises against (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-keys.html).
   */
  static String newKey(String key) {
    String checked = key(key);
    if (checked.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
      throw new IllegalArgumentException("an object key here may not contain control characters");
    }
    return checked;
  }

  /**
   * A file's size as the page states it before sending the file (GET /api/upload/check): 0 bytes or more, the whole
   * of a long, since a file chosen on the page can be larger than any upload the server takes.
   */
  static long bytes(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("say the file's size with bytes=...");
    }
    return number(text, "bytes", 0, 0, Long.MAX_VALUE);
  }

  static int limit(String text) {
    return (int) number(text, "limit", 60, 1, ResultsQuery.MAX_LIMIT);
  }

  static int days(String text) {
    return (int) number(text, "days", 14, 1, 366);
  }

  /**
   * {@code text} as a whole number from {@code min} to {@code max}, or {@code fallback} when it is absent; given blank
   * ({@code limit=}) it is refused, as GET /results refuses it ({@link ResultsQuery#given}).
   */
  private static long number(String text, String name, long fallback, long min, long max) {
    ResultsQuery.given(name, text, "");
    if (text == null) {
      return fallback;
    }
    try {
      long n = WholeNumbers.parse(text);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the message below says what is expected
    }
    throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max
        + " in " + WholeNumbers.FORM + ", got '" + Shown.value(text) + "'");
  }
}
