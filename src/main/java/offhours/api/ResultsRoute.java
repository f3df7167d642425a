package offhours.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import offhours.results.ResultItem;
import offhours.results.ResultsTable;
import offhours.stack.StackSpec;
import offhours.units.Shown;
import offhours.units.WholeNumbers;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One object (its results, or why it waits): GET /results?object=KEY for any key, GET /results/{key+} for a key the
 * path can carry. A page of results, newest first: GET /results with the listing's filters.
 *
 * <p>Two forms, because an HTTP API decodes the request path before the function sees it, and more than once: a key
 * with '%' or '?' cannot be named in the path (see offhours.local.api.GatewayPath), while query parameters are
 * decoded exactly once.
 */
final class ResultsRoute {

  /**
   * The most results one object's answer shows, newest first: a key uploaded again and again to an unversioned bucket
   * has a result per upload, and every one of them would outgrow Lambda's 6 MB response.
   */
  private static final int MAX_RESULTS = ResultsQuery.MAX_LIMIT;

  /** The query parameter that names one object exactly (not {@code key}: that is the listing's "contains" filter). */
  private static final String OBJECT = "object";

  /** The listing's parameters, which {@value #OBJECT} does not combine with. */
  private static final List<String> LIST_PARAMETERS =
      List.of("label", "status", "key", "limit", "next");

  private final ApiConfig config;
  private final S3Client s3;
  private final ResultsTable table;
  private final ResultsQuery query;
  private final Supplier<StackObserver.Observed> observer;
  /** The fingerprint of the model's settings the stack runs with (ModelContract#settingsFingerprint). */
  private final String settings;

  ResultsRoute(
      ApiConfig config,
      S3Client s3,
      ResultsTable table,
      ResultsQuery query,
      Supplier<StackObserver.Observed> observer,
      String settings) {
    this.settings = settings;
    this.config = config;
    this.s3 = s3;
    this.table = table;
    this.query = query;
    this.observer = observer;
  }

  /** GET /results/{key+}. */
  ApiResponse byPath(ApiRequest request) {
    return object(request.pathParameters().get("key"));
  }

  /** GET /results: the object {@value #OBJECT} names, or else a page. */
  ApiResponse byQuery(ApiRequest request) {
    Map<String, String> q = request.query();
    List<String> filters = LIST_PARAMETERS.stream().filter(q::containsKey).toList();
    if (q.containsKey(OBJECT) && !filters.isEmpty()) {
      return ApiResponse.error(
          400,
          OBJECT + "= names one object and cannot be combined with the listing's "
              + String.join(", ", filters) + "; ask GET /results?" + OBJECT
              + "=KEY alone, or list without " + OBJECT + "=");
    }
    // A misspelt filter (lable=, Status=) would otherwise list every result, unfiltered, as if
    // it had matched.
    List<String> unknown = q.keySet().stream()
        .filter(name -> !name.equals(OBJECT) && !LIST_PARAMETERS.contains(name))
        .toList();
    if (!unknown.isEmpty()) {
      return ApiResponse.error(
          400,
          "GET /results takes " + OBJECT + "=KEY alone, or " + String.join(", ", LIST_PARAMETERS)
              + "; it does not know "
              + String.join(
                  ", ", unknown.stream().map(n -> "'" + Shown.value(n) + "'").toList())
              + " (names are case-sensitive)");
    }
    return q.containsKey(OBJECT) ? object(q.get(OBJECT)) : list(q);
  }

  private ApiResponse object(String key) {
    if (key == null || key.isEmpty()) {
      return ApiResponse.error(
          400,
          "name the object: GET /results?" + OBJECT + "=KEY, with KEY URL-encoded (any key),"
              + " or GET /results/KEY (a key without '%' or '?')");
    }
    if (key.getBytes(StandardCharsets.UTF_8).length > StackSpec.MAX_KEY_BYTES) {
      return ApiResponse.error(
          400, "an S3 key is at most " + StackSpec.MAX_KEY_BYTES + " bytes (UTF-8)");
    }
    String bucket = config.bucket();
    ResultsTable.Newest results = table.newestByKey(bucket, key, MAX_RESULTS);
    Map<String, Object> answer = StatusView.orderedMap("key", key, "bucket", bucket);
    HeadObjectResponse head;
    try {
      head = s3.headObject(r -> r.bucket(bucket).key(key));
    } catch (NoSuchKeyException e) {
      return gone(bucket, key, results, answer);
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return gone(bucket, key, results, answer);
      }
      throw e;
    }
    answer.put("uploadedAt", head.lastModified());
    answer.put("sizeBytes", head.contentLength());
    if (hasResult(bucket, key, head, results)) {
      answer.put("state", "DONE");
      putResults(answer, results);
      return ApiResponse.json(200, answer);
    }
    if (!StackSpec.NOTIFICATION.matches(key)) {
      answer.put("state", "NOT_QUEUED");
      answer.put(
          "reason",
          StackSpec.CLASSIFIED_KEYS
              + "; the bucket sends no notification for this one. Upload it under such a name.");
      putResults(answer, results);
      return ApiResponse.json(200, answer);
    }
    StackObserver.Observed seen = observer.get();
    // The object is one of those the queue counts: not ahead of itself.
    Forecast forecast = Forecast.ofQueued(config, seen);
    answer.put("state", "WAITING");
    answer.put(
        "reason",
        forecast.reason() + "; in the queue: " + seen.queue().visible() + " waiting, "
            + seen.queue().inFlight() + " being classified, " + seen.queue().delayed()
            + " deferred (handed back while the endpoint was unavailable)");
    answer.put("startsAt", forecast.startsAt());
    answer.put("expectedAt", forecast.expectedAt());
    answer.put("observedAt", seen.at());
    putResults(answer, results);
    return ApiResponse.json(
        200, answer, Map.of("retry-after", Long.toString(forecast.retryAfterSeconds(seen.at()))));
  }

  /**
   * A page of the listing. Its values' rule, a blank one refused (not read as left out) and a label or key with blanks
   * at an end too, is the listing's own, which the page of {@code offhours ui} follows as well ({@link
   * ResultsQuery.Filter}); an IllegalArgumentException is the API's 400.
   */
  private ApiResponse list(Map<String, String> q) {
    ResultsQuery.given("limit", q.get("limit"), "");
    int limit = limit(q.get("limit"));
    ResultsQuery.Page page = query.page(
        new ResultsQuery.Filter(q.get("label"), q.get("status"), q.get("key")),
        limit,
        q.get("next"));
    Map<String, Object> answer = StatusView.orderedMap(
        "results",
        page.items().stream().map(r -> ResultView.of(r, settings)).toList(),
        "next",
        page.next());
    return ApiResponse.json(200, answer);
  }

  private static int limit(String text) {
    if (text == null) {
      return ResultsQuery.DEFAULT_LIMIT;
    }
    try {
      long limit = WholeNumbers.parse(text);
      if (limit >= 1 && limit <= ResultsQuery.MAX_LIMIT) {
        return (int) limit;
      }
    } catch (NumberFormatException e) {
      // the message below says what is expected
    }
    throw new IllegalArgumentException(
        "limit must be a whole number from 1 to " + ResultsQuery.MAX_LIMIT + " in "
            + WholeNumbers.FORM + ", got '" + Shown.value(text) + "'");
  }

  /**
   * Whether the object's current version (the one HeadObject saw) has a result. An object whose version S3 does not
   * name (no version id, no ETag) is taken as done once it has any result.
   */
  private boolean hasResult(
      String bucket, String key, HeadObjectResponse head, ResultsTable.Newest results) {
    String sk = ResultItem.skOfStored(head.versionId(), head.eTag());
    if (sk == null) {
      return !results.items().isEmpty();
    }
    return results.items().stream().anyMatch(r -> r.sk().equals(sk))
        || (results.more() && table.byVersion(bucket, key, sk).isPresent());
  }

  /** A deleted object: its results, as they were, or 404 when it has none. */
  private ApiResponse gone(
      String bucket, String key, ResultsTable.Newest results, Map<String, Object> answer) {
    if (results.items().isEmpty()) {
      return missing(bucket, key);
    }
    answer.put("state", "DONE");
    putResults(answer, results);
    return ApiResponse.json(200, answer);
  }

  /** The newest results (none: nothing is added), how many there are, and whether more exist than are shown. */
  private void putResults(Map<String, Object> answer, ResultsTable.Newest results) {
    if (results.items().isEmpty()) {
      return;
    }
    answer.put(
        "results", results.items().stream().map(r -> ResultView.of(r, settings)).toList());
    answer.put("total", results.total());
    answer.put("more", results.more());
  }

  private static ApiResponse missing(String bucket, String key) {
    return ApiResponse.error(
        404,
        "s3://" + bucket + "/" + key + " does not exist and has no result; keys are"
            + " case-sensitive, and GET /results?" + OBJECT + "=KEY (URL-encoded) names any key"
            + " exactly, the path form only keys without '%' or '?'");
  }
}
