package offhours.ui;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import offhours.api.ResultsQuery;

/**
 * A page's data in memory for the UI's tests: results as {@code results} gives them now, an absent endpoint, an empty
 * ledger, no thumbnail; uploads and controls are accepted and forgotten. A test overrides what it watches.
 */
class MemoryUiData implements UiData {
  private final Supplier<Map<String, Object>> results;

  MemoryUiData(Supplier<Map<String, Object>> results) {
    this.results = results;
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
