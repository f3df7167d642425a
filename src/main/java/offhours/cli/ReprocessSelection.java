package offhours.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import offhours.results.ResultItem;
import offhours.results.ResultItem.SettingsState;
import offhours.results.ResultItem.Verdict;
import offhours.results.ResultsTable;
import offhours.units.Plurals;

/**
 * The results {@code offhours reprocess} sends again, and how they are read: through the narrowest Query the filters
 * allow, never a Scan. {@link ReprocessCommand} turns its options into one and sends what it reads, and {@link
 * ResultsCommand} reads its --prefix through one; this record knows nothing of the queue, and of the command line only
 * the words that say what it selects ({@link #description}). Empty fields do not filter.
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
    return namesObject(r)
        && key.map(k -> k.equals(r.key())).orElse(true)
        && prefix.map(p -> r.key().startsWith(p)).orElse(true)
        && label.map(l -> l.equals(r.topLabel())).orElse(true)
        && unkeyedFiltersMatch(r, live);
  }

  /**
   * Whether {@code r} is the result of a message that was no S3 notification which this selection would take but for
   * that: it names no object, so reprocess has nothing to send for it and says so instead of passing it over. Only a
   * selection without --key, --prefix or --label can take one (it has no key and no label).
   */
  boolean selectsButNamesNoObject(ResultItem r, String live) {
    return !namesObject(r)
        && key.isEmpty()
        && prefix.isEmpty()
        && label.isEmpty()
        && unkeyedFiltersMatch(r, live);
  }

  private static boolean namesObject(ResultItem r) {
    return r.bucket() != null && r.key() != null;
  }

  private boolean unkeyedFiltersMatch(ResultItem r, String live) {
    return status.map(s -> s.equals(r.status().name())).orElse(true)
        && (settings.isEmpty() || settings.contains(r.settingsAgainst(live)))
        && model.map(m -> m.equals(r.model())).orElse(true)
        && since.map(t -> !r.classifiedAt().isBefore(t)).orElse(true)
        && before.map(t -> r.classifiedAt().isBefore(t)).orElse(true);
  }

  /** Whether any filter is given ({@code --all} is the selection without one). */
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
   * The selection as the options that give it ({@code --status REJECTED --since 2026-12-01T00:00:00Z}), in the order
   * {@code reprocess --help} lists them, for messages: {@code --settings} stands for the CLASSIFIED it implies, and
   * {@code --all} for no filter. A value with a blank, a quote or another character a shell reads is quoted as a shell
   * reads it back ({@link Terminal#shellWord}).
   */
  String description() {
    List<String> words = new ArrayList<>();
    key.ifPresent(k -> words.add("--key " + Terminal.shellWord(k)));
    prefix.ifPresent(p -> words.add("--prefix " + Terminal.shellWord(p)));
    if (settings.isEmpty()) {
      status.ifPresent(s -> words.add("--status " + s));
    } else {
      words.add("--settings "
          + (settings.size() > 1 ? "stale" : settings.iterator().next().word()));
    }
    label.ifPresent(l -> words.add("--label " + Terminal.shellWord(l)));
    model.ifPresent(m -> words.add("--model " + Terminal.shellWord(m)));
    since.ifPresent(t -> words.add("--since " + t));
    before.ifPresent(t -> words.add("--before " + t));
    return Terminal.printable(words.isEmpty() ? "--all" : String.join(" ", words));
  }

  /**
   * What {@code reprocess} says on stderr when nothing was selected: what was asked and of how many results read (no
   * second read to count them). Every result read without a filter names no object then, which cannot be sent again
   * ({@link Read#noObjectNote} says of which messages).
   */
  String nothingSelected(int read) {
    String of = " (of " + Plurals.of(read, "result") + " read";
    return any()
        ? "no result matches " + description() + of + ")"
        : "no result to reprocess" + of
            + (read == 0
                ? ": the results table is empty)"
                : ", none of which names an object to send again)");
  }

  /**
   * What {@link #read} read: the selected results, how many results it read to find them, those of them the selection
   * matched but could not send, each the result of a message that named no object, and the models of all it read.
   */
  record Read(
      List<ResultItem> selected,
      int read,
      List<ResultItem> namingNoObject,
      SortedSet<String> models) {

    Read {
      selected = List.copyOf(selected);
      namingNoObject = List.copyOf(namingNoObject);
      models = Collections.unmodifiableSortedSet(new TreeSet<>(models));
    }

    /**
     * The stderr line for {@link #namingNoObject} when there are any, else empty: of a message that was no S3
     * notification, or of one whose record names no object the Classify function could act on, with that result's
     * reason (no versionId, eTag or sequencer; another bucket; ...).
     */
    Optional<String> noObjectNote() {
      int n = namingNoObject.size();
      if (n == 0) {
        return Optional.empty();
      }
      boolean one = n == 1;
      List<ResultItem> records =
          namingNoObject.stream().filter(ResultItem::ofUnreadableRecord).toList();
      int bodies = n - records.size();
      String record = records.isEmpty()
          ? ""
          : " the Classify function could not read as an object version of this stack ("
              + (records.size() == 1 ? "" : "one of them: ")
              + Format.fit(records.getFirst().reason(), 300) + ")";
      String what;
      if (records.isEmpty()) {
        what = (one ? "its message was" : "their messages were") + " no S3 notification, so "
            + (one ? "it names" : "they name") + " no object to send again";
      } else if (bodies == 0) {
        what = (one
                ? "its message was an S3 notification whose record"
                : "their messages were S3 notifications whose records")
            + record + ", so " + (one ? "it names" : "they name") + " no object to send again";
      } else {
        what = bodies + " of " + (bodies == 1 ? "a message that was" : "messages that were")
            + " no S3 notification, and " + records.size() + " of "
            + (records.size() == 1
                ? "an S3 notification whose record"
                : "S3 notifications whose records")
            + record + ", so none names an object to send again";
      }
      return Optional.of(Plurals.of(n, "matching result") + " not sent: " + what
          + " ('results' shows " + (one ? "it" : "them") + " as sqs://QUEUE/MESSAGE_ID)");
    }

    /**
     * When nothing was selected with a {@code --model} that none of the results read is from, the line that names the
     * models they are from; else empty.
     */
    Optional<String> modelHint(Optional<String> model) {
      if (model.isEmpty()
          || models.contains(model.get())
          || models.isEmpty()
          || !selected.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(Terminal.printable("--model " + Terminal.shellWord(model.get())
          + " is none of the models of the " + Plurals.of(read, "result") + " read, which are from "
          + Format.firstOf(models, ", ")));
    }
  }

  /**
   * The selected results of {@code bucket}, by key then version, read through the narrowest Query the filters allow:
   * the object's versions (--key), a label's results (the label index), a status's (the status index), else both
   * statuses' (the status index holds every result), each within --since and --before; the other filters apply to
   * what was read, --settings comparing with {@code live} (the live settings' fingerprint, null when none is known).
   */
  Read read(ResultsTable results, String bucket, String live) {
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
    return new Read(
        read.stream()
            .filter(r -> test(r, live))
            .sorted(Comparator.comparing(ResultItem::key).thenComparing(ResultItem::sk))
            .toList(),
        read.size(),
        read.stream().filter(r -> selectsButNamesNoObject(r, live)).toList(),
        read.stream()
            .map(ResultItem::model)
            .filter(Objects::nonNull)
            .collect(Collectors.toCollection(TreeSet::new)));
  }
}
