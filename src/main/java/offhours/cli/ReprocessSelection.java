package offhours.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import offhours.results.ResultItem;
import offhours.results.ResultItem.SettingsState;
import offhours.results.ResultItem.Verdict;
import offhours.results.ResultsTable;

/**
 * The results {@code offhours reprocess} sends again, and how they are read: through the narrowest Query the filters
 * allow, never a Scan. {@link ReprocessCommand} turns its options into one and sends what it reads; this record knows
 * nothing of the command line nor of the queue. Empty fields do not filter.
 *
 * @param settings how a result's settings compare with the live ones ({@link ResultItem#settingsAgainst}) for it to be
 *     selected; given, {@code status} is CLASSIFIED (a verdict is on the image, which no change of the settings makes
 *     stale: {@link ResultItem#settingsWord})
 */
record ReprocessSelection(
    Optional<String> key,
    Optional<String> prefix,
    Optional<String> status,
    Set<SettingsState> settings,
    Optional<String> label,
    Optional<String> model,
    Optional<Instant> since,
    Optional<Instant> before) {

  ReprocessSelection {
    settings = Set.copyOf(settings);
  }

  /** Whether {@code r} is selected, its settings compared with {@code live} (the live fingerprint, null unknown). */
  boolean test(ResultItem r, String live) {
    return r.bucket() != null
        && r.key() != null
        && key.map(k -> k.equals(r.key())).orElse(true)
        && prefix.map(p -> r.key().startsWith(p)).orElse(true)
        && status.map(s -> s.equals(r.status().name())).orElse(true)
        && (settings.isEmpty() || settings.contains(r.settingsAgainst(live)))
        && label.map(l -> l.equals(r.topLabel())).orElse(true)
        && model.map(m -> m.equals(r.model())).orElse(true)
        && since.map(t -> !r.classifiedAt().isBefore(t)).orElse(true)
        && before.map(t -> r.classifiedAt().isBefore(t)).orElse(true);
  }

  boolean any() {
    return key.isPresent()
        || prefix.isPresent()
        || status.isPresent()
        || label.isPresent()
        || model.isPresent()
        || since.isPresent()
        || before.isPresent();
  }

  /**
   * The selected results of {@code bucket}, by key then version, read through the narrowest Query the filters allow:
   * the object's versions (--key), a label's results (the label index), a status's (the status index), else both
   * statuses' (the status index holds every result), each within --since and --before; the other filters apply to
   * what was read, --settings comparing with {@code live} (the live settings' fingerprint, null when none is known).
   */
  List<ResultItem> read(ResultsTable results, String bucket, String live) {
    List<ResultItem> read = new ArrayList<>();
    if (key.isPresent()) {
      read.addAll(results.byKey(bucket, key.get()));
    } else if (label.isPresent()) {
      read.addAll(results.withLabel(label.get(), since, before));
    } else {
      List<Verdict> statuses = status.isPresent()
          ? List.of(Verdict.valueOf(status.get()))
          : List.of(Verdict.CLASSIFIED, Verdict.REJECTED);
      for (Verdict s : statuses) {
        read.addAll(results.withStatus(s, since, before));
      }
    }
    return read.stream()
        .filter(r -> test(r, live))
        .sorted(Comparator.comparing(ResultItem::key).thenComparing(ResultItem::sk))
        .toList();
  }
}
