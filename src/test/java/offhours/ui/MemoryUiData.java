package offhours.ui;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import offhours.api.ResultsQuery;
import offhours.results.RejectionHint;

/**
 * A page's data in memory for the UI's tests: results as {@code results} gives them now, an absent endpoint, an empty
 * ledger, no thumbnail; uploads and controls are accepted and forgotten. A test overrides what it watches.
 */
class MemoryUiData implements UiData {
  private final Supplier<Map<String, Object>> results;

  MemoryUiData(Supplier<Map<String, Object>> results) {
    this.results = results;
  }

  /** A page of GET /api/results: {@code results}, no next page, {@code settings} to compare with. */
  @SafeVarargs
  static Map<String, Object> page(Map<String, Object> settings, Map<String, Object>... results) {
    Map<String, Object> page = new LinkedHashMap<>();
    page.put("results", List.of(results));
    page.put("next", null);
    page.put("settings", settings);
    return page;
  }

  /**
   * A result as ResultView makes it: a CLASSIFIED one with the label Cat at 0.9 read as {@code scores}, or a REJECTED
   * one (no labels, no scores); {@code settings} its settings' word.
   */
  static Map<String, Object> result(String key, String status, String settings, String scores) {
    boolean classified = status.equals("CLASSIFIED");
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("key", key);
    r.put("id", "s3://b/" + key);
    r.put("version", "v1");
    r.put("status", status);
    r.put("reason", classified ? null : "not an image");
    r.put("topLabel", classified ? "Cat" : null);
    r.put("labels", classified ? List.of(Map.of("label", "Cat", "score", 0.9)) : List.of());
    r.put("scores", classified ? scores : null);
    r.put("classifiedAt", "2026-11-25T10:00:00Z");
    r.put("attempts", 1);
    r.put("settings", settings);
    return r;
  }

  /** A REJECTED result with {@code reason} and the hint the page's server gives it ({@link ResultCard}), or null. */
  static Map<String, Object> rejected(String key, String reason) {
    Map<String, Object> r = result(key, "REJECTED", null, null);
    r.put("reason", reason);
    r.put(
        "hint",
        RejectionHint.of(key, r.get("id").toString(), reason)
            .map(ResultCard::hint)
            .orElse(null));
    return r;
  }

  /** A ledger of the fourteen days up to today, each of 40 images and two endpoint-hours (GET /ledger's answer). */
  static Map<String, Object> fortnight() {
    LocalDate today = LocalDate.now();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int back = 13; back >= 0; back--) {
      rows.add(Map.of(
          "date", today.minusDays(back).toString(),
          "endpointHours", 2.0,
          "images", 40,
          "costUsd", 0.23,
          "costPerImageUsd", 0.00575,
          "alwaysOnHours", 24.0,
          "alwaysOnCostUsd", 2.76,
          "savedPercent", 91.7));
    }
    return Map.of("since", today.minusDays(13).toString(), "days", rows);
  }

  @Override
  public Map<String, Object> status() {
    return Map.of("endpoint", Map.of("state", "ABSENT"));
  }

  @Override
  public Map<String, Object> results(ResultsQuery.Filter filter, int limit, String next) {
    return results.get();
  }

  @Override
  public Map<String, Object> ledger(int days) {
    return Map.of("days", List.of());
  }

  @Override
  public Thumbnail thumbnail(String key) throws UiException {
    throw new UiException(404, "no object " + key);
  }

  @Override
  public void upload(String key, byte[] bytes) {}

  @Override
  public Map<String, Object> control(String action) {
    return Map.of();
  }
}
