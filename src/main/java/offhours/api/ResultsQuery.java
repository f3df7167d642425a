package offhours.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import offhours.results.NewestFirst;
import offhours.results.ResultItem;
import offhours.results.ResultsTable;
import offhours.stack.StackSpec;
import offhours.units.Shown;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Results newest first, a page at a time ({@link NewestFirst}: Queries on the label or the status index), with an
 * opaque token for the next page. The token names the query it belongs to, so it cannot continue a different one.
 */
public final class ResultsQuery {

  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 100;

  /**
   * The most items one Query reads for a page: a key filter that matches few results gives a short page with a
   * {@code next} rather than reading on for as long as the index lasts. Some 5 MB at most, a second or two, far inside
   * the API function's Timeout, and a bounded cost for each of the web page's polls.
   */
  private static final long READ_LIMIT = 5_000;

  private static final String REFUSED =
      "next is not a token of this query; pass the 'next' of the previous page with the same label,"
          + " status and key filters, or leave it out for the first page";

  /**
   * What to list; null fields do not filter. {@code status} is CLASSIFIED or REJECTED, in any case. The rule of the
   * listing's values for every caller (GET /results, the page of {@code offhours ui}): a filter given blank is refused,
   * not read as none, since {@code label=} from a client whose variable was empty, or {@code key=%20}, would list
   * every result as if it had matched; so is a label or a key with blanks at its start or end, more often a client's
   * slip than the text it means.
   */
  public record Filter(String label, String status, String keyContains) {
    public Filter {
      given("label", label, FILTER);
      given("status", status, FILTER);
      given("key", keyContains, FILTER);
      unpadded("label", label);
      unpadded("key", keyContains);
      if (label != null
          && label.getBytes(StandardCharsets.UTF_8).length > ResultsTable.MAX_PARTITION_KEY_BYTES) {
        throw new IllegalArgumentException("label is at most "
            + ResultsTable.MAX_PARTITION_KEY_BYTES
            + " bytes (UTF-8), as a result's top label is; got "
            + label.getBytes(StandardCharsets.UTF_8).length);
      }
      // No S3 key holds a longer text, so such a filter could never match: each Query would read
      // READ_LIMIT items (read capacity, a second or two) to find nothing, on every request.
      if (keyContains != null
          && keyContains.getBytes(StandardCharsets.UTF_8).length > StackSpec.MAX_KEY_BYTES) {
        throw new IllegalArgumentException("key (a text the object key contains) is at most "
            + StackSpec.MAX_KEY_BYTES
            + " bytes (UTF-8), as an S3 key is; got "
            + keyContains.getBytes(StandardCharsets.UTF_8).length);
      }
      status = status == null ? null : status.strip().toUpperCase(Locale.ROOT);
      if (status != null && !status.equals("CLASSIFIED") && !status.equals("REJECTED")) {
        throw new IllegalArgumentException(
            "status must be CLASSIFIED or REJECTED, got '" + Shown.value(status) + "'");
      }
    }

    /** What a token is bound to; "2" is the token's format (positions per Query). */
    private String fingerprint() {
      return "2|" + label + "|" + status + "|" + keyContains;
    }
  }

  /**
   * One page, newest first; {@code next} is null on the last page. A page can be short while {@code next} is set (see
   * {@link #READ_LIMIT}).
   */
  public record Page(List<ResultItem> items, String next) {}

  private final NewestFirst results;

  public ResultsQuery(DynamoDbClient dynamo, String table) {
    this.results = new NewestFirst(dynamo, table, READ_LIMIT);
  }

  /**
   * A page of at most {@code limit} (1..{@value #MAX_LIMIT}) results after {@code next} (null: the first page; blank
   * is refused, {@link #given}).
   */
  public Page page(Filter filter, int limit, String next) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
    }
    given("next", next, "");
    Map<String, Map<String, String>> after = next == null ? null : token(next, filter);
    NewestFirst.Slice page;
    try {
      page = results.page(filter.label(), filter.status(), filter.keyContains(), limit, after);
    } catch (IllegalArgumentException e) {
      if (after == null) {
        throw e;
      }
      throw new IllegalArgumentException(REFUSED, e);
    }
    return new Page(page.items(), page.next() == null ? null : token(filter, page.next()));
  }

  private static String token(Filter filter, Map<String, Map<String, String>> positions) {
    String json = JsonText.write(Map.of("f", filter.fingerprint(), "k", positions));
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The positions a token holds; a token that is not ours, or of another query, is refused with what to do. */
  private static Map<String, Map<String, String>> token(String next, Filter filter) {
    JsonNode root;
    try {
      root = JsonText.parse(Base64.getUrlDecoder().decode(next.strip()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(REFUSED);
    }
    JsonNode positions =
        root == null || !root.isObject() ? null : root.asObject().get("k");
    if (!filter.fingerprint().equals(JsonText.string(root, "f"))
        || positions == null
        || !positions.isObject()
        || positions.asObject().isEmpty()) {
      throw new IllegalArgumentException(REFUSED);
    }
    Map<String, Map<String, String>> after = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> query : positions.asObject().entrySet()) {
      if (!query.getValue().isObject()) {
        throw new IllegalArgumentException(REFUSED);
      }
      Map<String, String> key = new LinkedHashMap<>();
      query.getValue().asObject().forEach((k, v) -> key.put(k, v.isString() ? v.asString() : null));
      if (key.values().stream().anyMatch(Objects::isNull)) {
        throw new IllegalArgumentException(REFUSED);
      }
      after.put(query.getKey(), key);
    }
    return after;
  }

  /** What a blank filter would do, as its refusal says it. */
  private static final String FILTER = " (a blank filter would list every result)";

  /**
   * Refuses parameter {@code name} given without a value ({@code name=}, or blanks alone), which a listing never reads
   * as left out: {@code why} says what it would do (a filter's {@link #FILTER}, or ""). Null is a parameter left out.
   */
  public static void given(String name, String value, String why) {
    if (value != null && value.isBlank()) {
      throw new IllegalArgumentException(name + "= has no value"
          + (value.isEmpty() ? "" : " but blanks") + "; give one, or leave " + name + " out" + why);
    }
  }

  private static void unpadded(String name, String value) {
    if (value != null && !value.equals(value.strip())) {
      throw new IllegalArgumentException(name + " '" + Shown.value(value)
          + "' has blanks at its start or end; give the " + name + " without them ('"
          + Shown.value(value.strip()) + "')");
    }
  }
}
