package offhours.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import offhours.results.FakeResultIndexes;
import offhours.results.ResultItem;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

class ResultsQueryTest {

  private static final String REFUSED = "next is not a token of this query";

  private final FakeResultIndexes dynamo = new FakeResultIndexes()
      .classified("a.png", "Neutral", "2026-12-01T10:00:00Z")
      .rejected("b.txt", "2026-12-01T10:00:01Z")
      .classified("c.png", "Drawing", "2026-12-01T10:00:02Z")
      .classified("d.png", "Neutral", "2026-12-01T10:00:03Z")
      .rejected("e.txt", "2026-12-01T10:00:04Z");
  private final ResultsQuery query = new ResultsQuery(dynamo, "offhours-results");

  private List<String> keys(ResultsQuery.Filter filter, int limit) {
    List<String> keys = new ArrayList<>();
    String next = null;
    do {
      ResultsQuery.Page page = query.page(filter, limit, next);
      page.items().forEach(r -> keys.add(r.key()));
      next = page.next();
    } while (next != null);
    return keys;
  }

  @Test
  void tokensPageThroughEveryListingNewestFirst() {
    assertThat(keys(new ResultsQuery.Filter(null, null, null), 2))
        .containsExactly("e.txt", "d.png", "c.png", "b.txt", "a.png");
    assertThat(keys(new ResultsQuery.Filter(null, " rejected", null), 1))
        .containsExactly("e.txt", "b.txt");
    assertThat(keys(new ResultsQuery.Filter("Neutral", null, null), 1))
        .containsExactly("d.png", "a.png");
    assertThat(keys(new ResultsQuery.Filter(null, null, ".png"), 1))
        .containsExactly("d.png", "c.png", "a.png");
    assertThat(dynamo.queries)
        .extracting(QueryRequest::indexName)
        .as("indexes only: no Scan, no BatchGetItem (FakeResultIndexes answers nothing else)")
        .containsOnly("byStatus", "byLabel");
  }

  @Test
  void aTokenContinuesOnlyTheQueryItBelongsTo() {
    ResultsQuery.Filter all = new ResultsQuery.Filter(null, null, null);
    String next = query.page(all, 1, null).next();
    assertThat(next).isNotNull();

    assertThatThrownBy(() -> query.page(new ResultsQuery.Filter(null, "REJECTED", null), 1, next))
        .hasMessageStartingWith(REFUSED);
    assertThatThrownBy(() -> query.page(all, 1, "not a token")).hasMessageStartingWith(REFUSED);
    assertThatThrownBy(() -> query.page(all, 1, encode("{\"f\":\"2|null|null|null\",\"k\":{}}")))
        .hasMessageStartingWith(REFUSED);
    assertThatThrownBy(() -> query.page(
            all,
            1,
            encode(
                "{\"f\":\"2|null|null|null\",\"k\":{\"CLASSIFIED\":{\"pk\":\"s3://b/a.png\"}}}")))
        .as("a position DynamoDB would refuse")
        .hasMessageStartingWith(REFUSED);
    assertThatThrownBy(() -> query.page(
            all, 1, encode("{\"f\":\"null|null|null\",\"k\":{\"pk\":\"x\",\"sk\":\"y\"}}")))
        .as("a token of the scan this replaced")
        .hasMessageStartingWith(REFUSED);
    assertThat(query.page(all, 1, next).items())
        .extracting(ResultItem::key)
        .containsExactly("d.png");
  }

  @Test
  void aTokenWhosePositionDynamoDbWouldRefuseIsRefusedBeforeAnyQuery() {
    ResultsQuery.Filter all = new ResultsQuery.Filter(null, null, null);
    String pk = "\"s3://b/a.png\"";
    String sk = "\"e#1\"";
    String at = "\"2026-12-01T10:00:00.000Z\"";
    for (String position : List.of(
        "{\"pk\":\"\",\"sk\":" + sk + ",\"classifiedAt\":" + at + ",\"status\":\"CLASSIFIED\"}",
        "{\"pk\":" + pk + ",\"sk\":\"\",\"classifiedAt\":" + at + ",\"status\":\"CLASSIFIED\"}",
        "{\"pk\":" + pk + ",\"sk\":" + sk + ",\"classifiedAt\":\"\",\"status\":\"CLASSIFIED\"}",
        "{\"pk\":\"" + "é".repeat(1024) + "a\",\"sk\":" + sk + ",\"classifiedAt\":" + at
            + ",\"status\":\"CLASSIFIED\"}",
        "{\"pk\":" + pk + ",\"sk\":\"" + "é".repeat(512) + "a\",\"classifiedAt\":" + at
            + ",\"status\":\"CLASSIFIED\"}",
        "{\"pk\":" + pk + ",\"sk\":" + sk + ",\"classifiedAt\":\"" + "9".repeat(1025)
            + "\",\"status\":\"CLASSIFIED\"}")) {
      String token = encode("{\"f\":\"2|null|null|null\",\"k\":{\"CLASSIFIED\":" + position + "}}");
      assertThatThrownBy(() -> query.page(all, 1, token))
          .as(position)
          .hasMessageStartingWith(REFUSED);
    }
    String longest = "{\"pk\":\"" + "é".repeat(1024) + "\",\"sk\":\"" + "é".repeat(512)
        + "\",\"classifiedAt\":" + at + ",\"status\":\"CLASSIFIED\"}";
    assertThat(query.page(
            all, 1, encode("{\"f\":\"2|null|null|null\",\"k\":{\"CLASSIFIED\":" + longest + "}}")))
        .as("the longest keys DynamoDB takes")
        .isNotNull();

    ResultsQuery.Filter neutral = new ResultsQuery.Filter("Neutral", null, null);
    String label =
        "{\"pk\":" + pk + ",\"sk\":" + sk + ",\"classifiedAt\":" + at + ",\"topLabel\":\"\"}";
    assertThatThrownBy(() -> query.page(
            neutral,
            1,
            encode("{\"f\":\"2|Neutral|null|null\",\"k\":{\"Neutral\":" + label + "}}")))
        .hasMessageStartingWith(REFUSED);
    assertThat(dynamo.queries)
        .as("nothing reached DynamoDB but the longest keys")
        .hasSize(1);
  }

  @Test
  void aLabelLongerThanAnyTopLabelIsABadRequest() {
    assertThat(new ResultsQuery.Filter("é".repeat(1024), null, null).label()).hasSize(1024);
    assertThatThrownBy(() -> new ResultsQuery.Filter("é".repeat(1024) + "a", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("label is at most 2048 bytes (UTF-8), as a result's top label is; got 2049");
  }

  @Test
  void aKeyFilterLongerThanAnyS3KeyIsABadRequestBeforeAnyQuery() {
    assertThat(new ResultsQuery.Filter(null, null, "é".repeat(512)).keyContains())
        .hasSize(512);
    assertThatThrownBy(() ->
            query.page(new ResultsQuery.Filter(null, null, "é".repeat(512) + "a"), 20, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key (a text the object key contains) is at most 1024 bytes (UTF-8), as an S3"
            + " key is; got 1025");
    assertThat(dynamo.queries)
        .as("no Query read for a filter that cannot match")
        .isEmpty();
  }

  /**
   * The listing's one rule for GET /results and the page of {@code offhours ui} alike: a value given blank is refused,
   * never read as left out (it would list every result as if it had matched), and so is a label or a key with blanks
   * at an end; a status is a word in any case.
   */
  @Test
  void aBlankValueOrALabelOrKeyWithBlanksAtAnEndIsRefusedNotReadAsNone() {
    for (String name : List.of("label", "status", "key")) {
      assertThatThrownBy(() -> filter(name, ""))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(name + "= has no value; give one, or leave " + name
              + " out (a blank filter would list every result)");
      assertThatThrownBy(() -> filter(name, " \t"))
          .hasMessage(name + "= has no value but blanks; give one, or leave " + name
              + " out (a blank filter would list every result)");
    }
    assertThatThrownBy(() -> filter("key", " photo"))
        .hasMessage("key ' photo' has blanks at its start or end; give the key without them"
            + " ('photo')");
    assertThatThrownBy(() -> filter("label", "Neutral\n"))
        .hasMessage("label 'Neutral\\x0a' has blanks at its start or end; give the label without"
            + " them ('Neutral')");
    assertThat(filter("status", " rejected ").status()).isEqualTo("REJECTED");
    ResultsQuery.Filter all = new ResultsQuery.Filter(null, null, null);
    assertThatThrownBy(() -> query.page(all, 20, " "))
        .hasMessage("next= has no value but blanks; give one, or leave next out");
    assertThat(dynamo.queries).isEmpty();
  }

  private static ResultsQuery.Filter filter(String name, String value) {
    return switch (name) {
      case "label" -> new ResultsQuery.Filter(value, null, null);
      case "status" -> new ResultsQuery.Filter(null, value, null);
      default -> new ResultsQuery.Filter(null, null, value);
    };
  }

  @Test
  void theLimitIsOneToAHundred() {
    ResultsQuery.Filter all = new ResultsQuery.Filter(null, null, null);
    assertThatThrownBy(() -> query.page(all, 0, null)).hasMessage("limit must be 1..100, got 0");
    assertThatThrownBy(() -> query.page(all, 101, null))
        .hasMessage("limit must be 1..100, got 101");
  }

  private static String encode(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
