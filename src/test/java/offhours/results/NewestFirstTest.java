package offhours.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

class NewestFirstTest {

  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  private final FakeResultIndexes dynamo = new FakeResultIndexes();
  private final NewestFirst results = new NewestFirst(dynamo, "offhours-results");

  private static String at(int second) {
    return T0.plusSeconds(second).toString();
  }

  /** A mix of both statuses and labels, some at the same second, in no particular order of writing. */
  private List<String> mixed(int count) {
    List<String> written = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int second = (i * 37) % count / 2; // pairs share a second
      String key = "k" + i + (i % 3 == 0 ? "-cat.png" : ".png");
      if (i % 4 == 1) {
        dynamo.rejected(key, at(second));
      } else {
        dynamo.classified(key, i % 2 == 0 ? "Neutral" : "Drawing", at(second));
      }
      written.add(key);
    }
    return written;
  }

  /** Every page of a listing, following {@code next} until it is null. */
  private List<ResultItem> all(String label, String status, String key, int limit) {
    List<ResultItem> seen = new ArrayList<>();
    Map<String, Map<String, String>> next = null;
    for (int pages = 0; pages < 1000; pages++) {
      NewestFirst.Slice page = results.page(label, status, key, limit, next);
      assertThat(page.items()).hasSizeLessThanOrEqualTo(limit);
      seen.addAll(page.items());
      next = page.next();
      if (next == null) {
        return seen;
      }
      assertThat(page.items()).as("a page with a next page is full").hasSize(limit);
    }
    throw new AssertionError("no last page after 1000 pages");
  }

  private static List<String> newestFirst(List<ResultItem> items) {
    return items.stream()
        .sorted(Comparator.comparing((ResultItem r) -> r.classifiedAt().toString())
            .thenComparing(ResultItem::pk)
            .thenComparing(ResultItem::sk)
            .reversed())
        .map(ResultItem::key)
        .toList();
  }

  @Test
  void everyResultOnceNewestFirstAcrossPagesOfEverySize() {
    List<String> written = mixed(60);
    List<ResultItem> whole = all(null, null, null, 100);
    assertThat(whole).extracting(ResultItem::key).containsExactlyInAnyOrderElementsOf(written);
    List<String> expected = newestFirst(whole);
    assertThat(whole).extracting(ResultItem::key).containsExactlyElementsOf(expected);

    for (int limit : List.of(1, 2, 3, 7, 20, 59, 60)) {
      assertThat(all(null, null, null, limit))
          .extracting(ResultItem::key)
          .as("pages of %d", limit)
          .containsExactlyElementsOf(expected);
    }
  }

  @Test
  void aPageContinuesAcrossDynamoDbResponsesWithoutSkippingOrRepeating() {
    mixed(60);
    List<String> expected = newestFirst(all(null, null, null, 100));
    dynamo.itemsPerResponse = 2; // as if each response hit DynamoDB's 1 MB

    for (int limit : List.of(1, 5, 9)) {
      assertThat(all(null, null, null, limit))
          .extracting(ResultItem::key)
          .as("pages of %d", limit)
          .containsExactlyElementsOf(expected);
      assertThat(all(null, null, "cat", limit))
          .extracting(ResultItem::key)
          .as("key filter, pages of %d", limit)
          .containsExactlyElementsOf(
              expected.stream().filter(k -> k.contains("cat")).toList());
      assertThat(all("Neutral", "CLASSIFIED", null, limit))
          .extracting(ResultItem::key)
          .as("label and status, pages of %d", limit)
          .containsExactlyElementsOf(newestFirst(all("Neutral", null, null, 100)));
    }
  }

  @Test
  void filtersSelectByStatusLabelAndKey() {
    mixed(40);
    List<ResultItem> whole = all(null, null, null, 100);

    assertThat(all(null, "REJECTED", null, 3))
        .extracting(ResultItem::key)
        .containsExactlyElementsOf(newestFirst(whole.stream()
            .filter(r -> r.status() == ResultItem.Verdict.REJECTED)
            .toList()));
    assertThat(all("Drawing", null, "cat", 2))
        .extracting(ResultItem::key)
        .containsExactlyElementsOf(newestFirst(whole.stream()
            .filter(r -> "Drawing".equals(r.topLabel()) && r.key().contains("cat"))
            .toList()));
    assertThat(all("Drawing", "REJECTED", null, 5))
        .as("a rejection has no label")
        .isEmpty();
    assertThat(results.page(null, null, "no such key", 5, null))
        .isEqualTo(new NewestFirst.Slice(List.of(), null));
  }

  @Test
  void aRareKeyIsFoundInAFewRoundTripsAndTheNextPageStartsAfterTheLastShown() {
    for (int i = 0; i < 3000; i++) {
      String key = (i % 700 == 0 ? "cat-" : "photo-") + i + ".png";
      dynamo.classified(key, "Neutral", at(i));
    }

    NewestFirst.Slice first = results.page(null, "CLASSIFIED", "cat", 3, null);

    assertThat(first.items())
        .extracting(ResultItem::key)
        .containsExactly("cat-2800.png", "cat-2100.png", "cat-1400.png");
    assertThat(dynamo.queries.size())
        .as("Queries for 3 matches among 3000")
        .isLessThanOrEqualTo(10);
    assertThat(results.page(null, "CLASSIFIED", "cat", 3, first.next()).items())
        .extracting(ResultItem::key)
        .as("the matches read beyond the first page are not skipped")
        .containsExactly("cat-700.png", "cat-0.png");
    for (int limit : List.of(1, 2, 4)) {
      assertThat(all(null, null, "cat", limit))
          .extracting(ResultItem::key)
          .as("pages of %d", limit)
          .containsExactly(
              "cat-2800.png", "cat-2100.png", "cat-1400.png", "cat-700.png", "cat-0.png");
    }
  }

  /** Every page of a listing whose Queries read at most {@code readLimit} items a page; each page's reads too. */
  private List<ResultItem> allBounded(
      String status, String key, int limit, long readLimit, List<Integer> reads) {
    NewestFirst bounded = new NewestFirst(dynamo, "offhours-results", readLimit);
    List<ResultItem> seen = new ArrayList<>();
    Map<String, Map<String, String>> next = null;
    for (int pages = 0; pages < 10_000; pages++) {
      int before = dynamo.itemsRead;
      NewestFirst.Slice page = bounded.page(null, status, key, limit, next);
      reads.add(dynamo.itemsRead - before);
      seen.addAll(page.items());
      next = page.next();
      if (next == null) {
        return seen;
      }
    }
    throw new AssertionError("no last page after 10000 pages");
  }

  @Test
  void aReadLimitShortensPagesButKeepsEveryResultOnceNewestFirst() {
    mixed(120);
    List<String> expected = newestFirst(all(null, null, null, 200));
    List<String> cats = expected.stream().filter(k -> k.contains("cat")).toList();
    for (int limit : List.of(1, 4, 30)) {
      for (long readLimit : List.of(1L, 3L, 10L)) {
        List<Integer> reads = new ArrayList<>();
        assertThat(allBounded(null, "cat", limit, readLimit, reads))
            .extracting(ResultItem::key)
            .as("cat, pages of %d, reading %d a Query", limit, readLimit)
            .containsExactlyElementsOf(cats);
        assertThat(reads).allSatisfy(r -> assertThat((long) r).isLessThanOrEqualTo(2 * readLimit));
        assertThat(allBounded(null, null, limit, readLimit, new ArrayList<>()))
            .extracting(ResultItem::key)
            .as("everything, pages of %d, reading %d a Query", limit, readLimit)
            .containsExactlyElementsOf(expected);
      }
    }
  }

  @Test
  void aQueryStoppedByTheReadLimitHoldsBackOlderResultsOfTheOtherAndIsNotReadBelow() {
    dynamo
        .classified("c100.png", "Neutral", at(100))
        .classified("c99.png", "Neutral", at(99))
        .classified("c1.png", "Neutral", at(1));
    for (int i = 98; i >= 2; i--) {
      dynamo.rejected("r" + i + ".txt", at(i));
    }
    NewestFirst bounded = new NewestFirst(dynamo, "offhours-results", 3);

    NewestFirst.Slice first = bounded.page(null, null, null, 10, null);

    assertThat(first.items())
        .extracting(ResultItem::key)
        .as("c1.png waits: REJECTED stopped at r96.txt with newer ones unread")
        .containsExactly("c100.png", "c99.png", "r98.txt", "r97.txt", "r96.txt");
    assertThat(dynamo.itemsRead).isEqualTo(6);

    dynamo.itemsRead = 0;
    NewestFirst.Slice second = bounded.page(null, null, null, 10, null);
    assertThat(second).isEqualTo(first);
    dynamo.itemsRead = 0;
    dynamo.classified("c0.png", "Neutral", at(0));
    List<Integer> reads = new ArrayList<>();
    List<String> rest =
        allBounded(null, null, 10, 3, reads).stream().map(ResultItem::key).toList();
    assertThat(rest)
        .hasSize(101)
        .startsWith("c100.png", "c99.png", "r98.txt")
        .endsWith("r2.txt", "c1.png", "c0.png");
  }

  @Test
  void theOtherStatusIsNotReadBelowWhereAStoppedQueryStopped() {
    for (int i = 100; i >= 50; i--) {
      dynamo.classified("c" + i + ".png", "Neutral", at(i));
    }
    dynamo.rejected("r10.txt", at(10)).rejected("r9.txt", at(9)).rejected("r8.txt", at(8));

    NewestFirst.Slice page =
        new NewestFirst(dynamo, "offhours-results", 3).page(null, null, "png", 10, null);

    assertThat(page.items())
        .extracting(ResultItem::key)
        .containsExactly("c100.png", "c99.png", "c98.png");
    assertThat(dynamo.itemsRead)
        .as("no REJECTED result is older than c98.png's time: none read")
        .isEqualTo(3);
  }

  @Test
  void aRareKeyGivesShortPagesWithinTheReadLimit() {
    for (int i = 0; i < 3000; i++) {
      dynamo.classified((i % 700 == 0 ? "cat-" : "photo-") + i + ".png", "Neutral", at(i));
    }
    List<Integer> reads = new ArrayList<>();

    assertThat(allBounded(null, "cat", 20, 500, reads))
        .extracting(ResultItem::key)
        .containsExactly(
            "cat-2800.png", "cat-2100.png", "cat-1400.png", "cat-700.png", "cat-0.png");
    assertThat(reads)
        .hasSizeGreaterThanOrEqualTo(6)
        .allSatisfy(r -> assertThat(r).isLessThanOrEqualTo(2 * 500));
  }

  @Test
  void aStatusListingReadsOnlyThatStatus() {
    for (int i = 0; i < 500; i++) {
      dynamo.classified("photo-" + i + ".png", "Neutral", at(i));
    }
    dynamo.rejected("notes.txt", at(3)).rejected("broken.jpg", at(250));

    NewestFirst.Slice page = results.page(null, "REJECTED", null, 20, null);

    assertThat(page.items()).extracting(ResultItem::key).containsExactly("broken.jpg", "notes.txt");
    assertThat(page.next()).isNull();
    assertThat(dynamo.itemsRead).isEqualTo(2);
    assertThat(dynamo.queries).extracting(QueryRequest::indexName).containsOnly("byStatus");
  }

  @Test
  void aPageOfEverythingReadsThePageAndTheOtherStatusOfItsTimeSpanOnly() {
    for (int i = 0; i < 500; i++) {
      dynamo.classified("photo-" + i + ".png", "Neutral", at(i));
    }
    for (int i = 0; i < 100; i++) {
      dynamo.rejected("old-" + i + ".txt", at(i));
    }
    dynamo.rejected("new.txt", at(495));

    NewestFirst.Slice first = results.page(null, null, null, 20, null);

    assertThat(first.items())
        .extracting(ResultItem::key)
        .startsWith("photo-499.png", "photo-498.png", "photo-497.png", "photo-496.png")
        .contains("new.txt")
        .hasSize(20)
        .doesNotContain("old-99.txt");
    assertThat(dynamo.itemsRead)
        .as("20 CLASSIFIED, and the one REJECTED of their time span")
        .isEqualTo(21);

    dynamo.itemsRead = 0;
    NewestFirst.Slice second = results.page(null, null, null, 20, first.next());
    assertThat(second.items().getFirst().key()).isEqualTo("photo-480.png");
    assertThat(dynamo.itemsRead).isLessThanOrEqualTo(20 + 1);
  }

  @Test
  void positionsOfAnotherListingAreRefused() {
    mixed(10);
    Map<String, Map<String, String>> next =
        results.page(null, null, null, 2, null).next();
    assertThat(next).containsOnlyKeys("CLASSIFIED", "REJECTED");

    assertThatThrownBy(() -> results.page("Neutral", null, null, 2, next))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a position of this listing");
    Map<String, String> classified = next.get("CLASSIFIED");
    assertThatThrownBy(
            () -> results.page(null, "REJECTED", null, 2, Map.of("REJECTED", classified)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a position in byStatus");
    assertThatThrownBy(() -> results.page(
            null, null, null, 2, Map.of("CLASSIFIED", Map.of("pk", "s3://b/x", "sk", "e#x"))))
        .hasMessage("not a position in byStatus");
    assertThatThrownBy(() -> results.page(null, "FINE", null, 2, null))
        .hasMessage("status must be CLASSIFIED or REJECTED, got 'FINE'");
    assertThatThrownBy(() -> results.page(null, null, null, 0, null))
        .hasMessage("limit must be at least 1, got 0");
  }
}
