package offhours.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import offhours.results.ResultItem;

/** A result as the API and the UI show it (JSON). */
public final class ResultView {

  private ResultView() {}

  /**
   * The result with {@code settings}: {@code current}, {@code changed} (written under other settings of the model:
   * labels, content type, accept or scores) or {@code unknown} (written before results recorded their settings), as
   * {@code live}, the fingerprint of the settings the stack runs with now, sees it; null for a REJECTED result
   * ({@link ResultItem#settingsWord}).
   */
  public static Map<String, Object> of(ResultItem r, String live) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", r.key());
    m.put("bucket", r.bucket());
    m.put("id", r.pk());
    m.put("version", r.versionId() != null ? r.versionId() : r.eTag());
    m.put("status", r.status().name());
    m.put("reason", r.reason());
    m.put("topLabel", r.topLabel());
    m.put("topScore", r.topScore());
    m.put("labels", labels(r.labels()));
    // How the labels' numbers were read, as `results --json` says it: a logit's softmax is no
    // probability the model gave.
    m.put("scores", r.scores());
    m.put("sizeBytes", r.sizeBytes());
    m.put("uploadedAt", r.uploadedAt());
    m.put("classifiedAt", r.classifiedAt());
    m.put("attempts", r.attempts());
    m.put("model", r.model());
    m.put("endpoint", r.endpoint());
    m.put("settings", r.settingsWord(live));
    return m;
  }

  public static List<Map<String, Object>> labels(List<ResultItem.Label> labels) {
    return labels.stream()
        .map(l -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("label", l.label());
          m.put("score", l.score());
          return m;
        })
        .toList();
  }
}
